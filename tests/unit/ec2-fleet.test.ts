import { CheckedFleetArgs, validateFleetArgs } from "../../lib/app/ec2-fleet-args";
import { al2023ImageId, instanceArchitecture } from "../../lib/app/ec2-image";
import {
  SESSION_MANAGER_ACTIONS,
  fleetServiceLinkedRoleName,
  instancePolicy,
} from "../../lib/app/ec2-instance-policy";
import {
  BUNDLE_PATH,
  ENV_FILE,
  NODE_BINARY,
  RDS_CA_BUNDLE_PATH,
  RDS_CA_BUNDLE_URL,
  UserDataInput,
  buildUserData,
  bundleObjectKey,
  bundleSha256,
  systemdUnit,
  validateFleetEnvironment,
} from "../../lib/app/ec2-user-data";
import { PolicyStatement, asArray } from "../support/graph";
import { LONGEST_NAMES_CONFIG } from "../support/stack-config";

describe("instanceArchitecture", () => {
  it.each([
    ["t4g.small", "arm64"],
    ["m7g.large", "arm64"],
    ["c7gn.xlarge", "arm64"],
    ["r6gd.2xlarge", "arm64"],
    ["x2gd.medium", "arm64"],
    ["im4gn.large", "arm64"],
    ["is4gen.large", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["hpc7g.4xlarge", "arm64"],
    ["a1.medium", "arm64"],
    ["t3.micro", "x86_64"],
    ["m7i.large", "x86_64"],
    ["m7i-flex.large", "x86_64"],
    ["c6in.xlarge", "x86_64"],
    ["m7a.large", "x86_64"],
    ["g5.xlarge", "x86_64"],
    ["g4dn.xlarge", "x86_64"],
    ["u-6tb1.metal", "x86_64"],
  ])("%s runs %s", (instanceType, architecture) => {
    expect(instanceArchitecture(instanceType)).toBe(architecture);
  });

  it.each([
    [
      "t4g",
      'instanceType "t4g" is not an EC2 instance type; use a name such as t4g.small or m7i.large',
    ],
    [
      "mac2.metal",
      'instanceType "mac2.metal" is an EC2 Mac type, which runs macOS AMIs only; use a Linux type such as t4g.small or m7i.large',
    ],
  ])("rejects %s", (instanceType, message) => {
    expect(() => instanceArchitecture(instanceType)).toThrow(message);
  });

  it("resolves the AL2023 AMI of that architecture from its public SSM parameter at launch", () => {
    expect(al2023ImageId("t4g.small")).toBe(
      "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
    expect(al2023ImageId("m7i.large")).toBe(
      "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    );
  });
});

describe("bundle identity", () => {
  it("keys the object by the bundle's sha256, so a new bundle is a new key", () => {
    const sha = bundleSha256("console.log(1)");
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(bundleObjectKey("console.log(1)")).toBe(`ec2-server/${sha}.js`);
    expect(bundleObjectKey("console.log(2)")).not.toBe(bundleObjectKey("console.log(1)"));
  });
});

describe("user data", () => {
  const input: UserDataInput = {
    region: "eu-west-1",
    bucketName: "tap-dev-ec2-artifacts-123456789012-euw1",
    objectKey: bundleObjectKey("console.log(1)"),
    bundleSha256: bundleSha256("console.log(1)"),
    appPort: 8080,
    environment: {
      DB_HOST: "tap-dev-db-euw1.cluster-c0ffee.eu-west-1.rds.amazonaws.com",
      DB_PORT: "5432",
      DB_NAME: "tapdr",
      DB_SECRET_ID: "tap-dev-db-master-credentials",
      TABLE_NAME: "tap-dev-transactions",
      QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/tap-dev-transactions-euw1",
    },
  };
  const script = buildUserData(input);
  const lines = script.split("\n");

  it("installs Node.js 22 from the AL2023 repositories and the AWS CLI", () => {
    expect(lines[0]).toBe("#!/bin/bash");
    expect(script).toContain("set -euo pipefail");
    expect(script).toContain("retry dnf install -y nodejs22 awscli-2");
  });

  it("downloads exactly its bundle and checks it against the sha256 it names", () => {
    expect(script).toContain(
      `aws s3 cp --only-show-errors --region eu-west-1 s3://${input.bucketName}/${input.objectKey} ${BUNDLE_PATH}`,
    );
    expect(script).toContain(
      `echo "${input.bundleSha256}  ${BUNDLE_PATH}" | sha256sum --check --strict`,
    );
    expect(script).toContain(`bundle sha256 ${input.bundleSha256}`);
  });

  it("fetches the RDS CA bundle over HTTPS and points DB_CA_FILE at it", () => {
    expect(RDS_CA_BUNDLE_URL).toBe(
      "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
    );
    expect(script).toContain(
      `--proto =https --tlsv1.2 -o ${RDS_CA_BUNDLE_PATH} ${RDS_CA_BUNDLE_URL}`,
    );
    expect(lines).toContain(`DB_CA_FILE=${RDS_CA_BUNDLE_PATH}`);
  });

  it("writes the environment, with the fleet's own variables, into a root:tap 0640 file", () => {
    const start = lines.indexOf(`cat > ${ENV_FILE} <<'TAP_ENV'`);
    const end = lines.indexOf("TAP_ENV");
    expect(lines.slice(start + 1, end)).toEqual([
      "AWS_REGION=eu-west-1",
      `DB_CA_FILE=${RDS_CA_BUNDLE_PATH}`,
      "NODE_ENV=production",
      "PORT=8080",
      `DB_HOST=${input.environment.DB_HOST}`,
      "DB_NAME=tapdr",
      "DB_PORT=5432",
      "DB_SECRET_ID=tap-dev-db-master-credentials",
      `QUEUE_URL=${input.environment.QUEUE_URL}`,
      "TABLE_NAME=tap-dev-transactions",
    ]);
    expect(script).toContain(`chmod 0640 ${ENV_FILE}`);
  });

  it("runs the server under a systemd unit that restarts always, as an unprivileged user", () => {
    const unit = systemdUnit();
    expect(unit).toContain(`ExecStart=${NODE_BINARY} ${BUNDLE_PATH}`);
    expect(NODE_BINARY).toBe("/usr/bin/node-22");
    expect(unit).toContain("Restart=always");
    expect(unit).toContain("User=tap");
    expect(unit).toContain(`EnvironmentFile=${ENV_FILE}`);
    expect(unit).toContain("NoNewPrivileges=true");
    expect(script).toContain(systemdUnit().trimEnd());
    expect(script).toContain("systemctl enable --now tap-api.service");
  });

  it("quotes every heredoc, so nothing in the file or the unit is expanded by the shell", () => {
    for (const line of lines.filter((l) => l.includes("<<"))) {
      expect(line).toMatch(/<<'[A-Z_]+'$/);
    }
  });

  it("holds no secret: only names and locations (AS-13)", () => {
    expect(script).not.toMatch(/password|passwd|secret_key|access_key|BEGIN [A-Z ]*PRIVATE KEY/i);
    expect(script).not.toContain("Mock-Password");
  });

  it("rejects a bundle hash that is not a sha256", () => {
    expect(() => buildUserData({ ...input, bundleSha256: "abc" })).toThrow(
      'bundleSha256 "abc" is not a hex sha256',
    );
  });
});

describe("validateFleetEnvironment", () => {
  it("accepts ids, hosts, ARNs and URLs", () => {
    expect(() =>
      validateFleetEnvironment({
        DB_SECRET_ID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:tap-dev-db-AbCdEf",
        QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/q",
      }),
    ).not.toThrow();
  });

  it("lists every problem with its fix", () => {
    expect(() =>
      validateFleetEnvironment({
        DB_PASSWORD: "hunter2",
        PORT: "9000",
        "db-host": "x",
        QUEUE_URL: "a b",
        TABLE_NAME: "x\nrm -rf /",
      }),
    ).toThrow(
      [
        "Ec2AppFleet environment:",
        "  DB_PASSWORD looks like a secret, and user data is readable by anything that can describe the instance (AS-13); pass the secret's id and read it at run time",
        "  PORT is set by the fleet itself; remove it from environment",
        '  "db-host" is not an environment variable name; use upper case, digits and _',
        '  QUEUE_URL="a b" has characters outside A-Z a-z 0-9 . _ : / @ + = , -; user data writes values unquoted',
        '  TABLE_NAME="x\\nrm -rf /" has characters outside A-Z a-z 0-9 . _ : / @ + = , -; user data writes values unquoted',
      ].join("\n"),
    );
  });
});

describe("instance policy", () => {
  const policy = instancePolicy({
    region: "eu-west-1",
    partition: "aws",
    bucketName: "tap-dev-ec2-artifacts-123456789012-euw1",
    objectKey: "ec2-server/abc.js",
    kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k-1",
  });
  const statements = policy.Statement as PolicyStatement[];
  const bySid = (sid: string): PolicyStatement => {
    const found = statements.find((statement) => statement.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
  };

  it("reads only its own bundle object", () => {
    expect(bySid("ReadOwnBundle")).toMatchObject({
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::tap-dev-ec2-artifacts-123456789012-euw1/ec2-server/abc.js",
    });
  });

  it("decrypts with the region's key only through S3 in that region", () => {
    expect(bySid("DecryptBundleThroughS3")).toMatchObject({
      Action: "kms:Decrypt",
      Resource: "arn:aws:kms:eu-west-1:123456789012:key/k-1",
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
  });

  it("allows Session Manager's documented minimum, in this region only", () => {
    expect(bySid("SessionManager")).toEqual({
      Sid: "SessionManager",
      Effect: "Allow",
      Action: [...SESSION_MANAGER_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
    });
  });

  it("grants no wildcard action and nothing but Allow", () => {
    for (const statement of statements) {
      expect(statement.Effect).toBe("Allow");
      for (const action of asArray(statement.Action)) {
        expect(action).not.toMatch(/\*/);
      }
    }
  });
});

describe("the fleet's Auto Scaling service-linked role", () => {
  it("fits IAM's 64-character role name at the longest suffix and region code", () => {
    const name = fleetServiceLinkedRoleName({
      environmentSuffix: LONGEST_NAMES_CONFIG.environmentSuffix,
      region: LONGEST_NAMES_CONFIG.primaryRegion,
    });
    expect(name).toBe("AWSServiceRoleForAutoScaling_tap-abcdefgh-1234567-app-apse2");
    expect(name.length).toBeLessThanOrEqual(64);
  });

  it("is one per stack and region (IAM is global)", () => {
    expect(fleetServiceLinkedRoleName({ environmentSuffix: "dev", region: "us-east-1" })).not.toBe(
      fleetServiceLinkedRoleName({ environmentSuffix: "dev", region: "us-east-2" }),
    );
  });
});

describe("validateFleetArgs", () => {
  const valid: CheckedFleetArgs = {
    region: "us-east-2",
    environmentSuffix: "dev",
    role: "dr",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    albSecurityGroupId: "sg-alb",
    targetGroupArn: "arn:tg",
    appPort: 8080,
    kmsKeyArn: "arn:key",
    instanceType: "t4g.small",
    capacity: { min: 0, desired: 0, max: 6 },
    environment: { DB_HOST: "db" },
    apiPolicyArn: "arn:policy",
    bundle: "console.log(1)",
    accountId: "123456789012",
    partition: "aws",
    protect: false,
    forceDestroy: true,
  };

  it("accepts a pilot-light fleet (0/0/N)", () => {
    expect(() => validateFleetArgs(valid)).not.toThrow();
  });

  it("lists every problem with its fix", () => {
    expect(() =>
      validateFleetArgs({
        ...valid,
        appPort: 80,
        capacity: { min: 3, desired: 2, max: 6 },
        subnetIds: ["subnet-a"],
        bundle: " ",
        environment: { DB_PASSWORD: "x" },
        instanceType: "mac2.metal",
      }),
    ).toThrow(
      [
        "Ec2AppFleet us-east-2:",
        "  appPort 80 is not allowed; use 1024-65535 (the server runs unprivileged)",
        "  capacity 3/2/6 is not allowed; use 0 <= min <= desired <= max and max >= 1",
        "  subnetIds has 1 subnet(s); give the private subnets of at least 2 AZs (AS-5)",
        "  bundle is empty; pass the bundled JavaScript of lambda/ec2-server/index.ts",
        "  DB_PASSWORD looks like a secret, and user data is readable by anything that can describe the instance (AS-13); pass the secret's id and read it at run time",
        '  instanceType "mac2.metal" is an EC2 Mac type, which runs macOS AMIs only; use a Linux type such as t4g.small or m7i.large',
      ].join("\n"),
    );
  });
});
