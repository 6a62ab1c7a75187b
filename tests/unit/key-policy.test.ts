import { KEY_USER_SERVICES, buildKeyPolicy } from "../../lib/security/key-policy";
import { PolicyStatement, asArray } from "../support/graph";

const policy = buildKeyPolicy({
  accountId: "111122223333",
  partition: "aws",
  region: "eu-west-1",
  logGroupNamePrefixes: ["/tap/dev/", "/aws/rds/cluster/tap-dev-"],
});
const statements = policy.Statement as PolicyStatement[];
const bySid = (sid: string): PolicyStatement => {
  const found = statements.find((statement) => statement.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

describe("regional key policy", () => {
  it("lets the account administer the key (no lockout) without using it for crypto directly", () => {
    const admin = bySid("KeyAdministrationByAccount");
    expect(admin.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
    expect(asArray(admin.Action)).toEqual(
      expect.arrayContaining(["kms:Put*", "kms:ScheduleKeyDeletion", "kms:Enable*"]),
    );
    for (const action of asArray(admin.Action)) {
      expect(action).not.toMatch(/^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|\*)/);
      // A grant is a way to crypto use: CreateGrant (or a Create* wildcard) must not be here.
      expect(action).not.toMatch(/^kms:Create(Grant|\*)/);
    }
  });

  it("lets CloudWatch Logs of the key's own region use it, only for the stack's and its RDS clusters' log groups", () => {
    const logs = bySid("CloudWatchLogsForStackLogGroups");
    expect(logs.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logs.Condition).toEqual({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:eu-west-1:111122223333:log-group:/tap/dev/*",
          "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/rds/cluster/tap-dev-*",
        ],
      },
    });
  });

  it("lets in exactly the services that use it, each through this region's endpoint", () => {
    const expectedViaServices = [
      "sns.eu-west-1.amazonaws.com",
      "sqs.eu-west-1.amazonaws.com",
      "s3.eu-west-1.amazonaws.com",
      "rds.eu-west-1.amazonaws.com",
      "dynamodb.eu-west-1.amazonaws.com",
      "backup.eu-west-1.amazonaws.com",
      "secretsmanager.eu-west-1.amazonaws.com",
      "lambda.eu-west-1.amazonaws.com",
    ];
    expect(KEY_USER_SERVICES).toHaveLength(expectedViaServices.length);
    for (const sid of ["UseThroughListedServicesOnly", "GrantsForAwsResourcesOfListedServices"]) {
      const statement = bySid(sid);
      expect(statement.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
      expect(statement.Condition?.StringEquals).toEqual({
        "kms:CallerAccount": "111122223333",
        "kms:ViaService": expectedViaServices,
      });
    }
    expect(bySid("GrantsForAwsResourcesOfListedServices").Condition?.Bool).toEqual({
      "kms:GrantIsForAWSResource": "true",
    });
  });

  it("lets alarm, RDS event and SNS publishers encrypt only on behalf of this account", () => {
    const publishers = bySid("ServicePublishersToEncryptedTopicsAndQueues");
    expect(publishers.Principal).toEqual({
      Service: ["cloudwatch.amazonaws.com", "sns.amazonaws.com", "events.rds.amazonaws.com"],
    });
    expect(asArray(publishers.Action)).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(publishers.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "111122223333" } });
  });

  it("lets EventBridge wrap data keys for the encrypted alert topic, without the source keys it does not send", () => {
    const eventBridge = bySid("EventBridgeToEncryptedAlertTopics");
    expect(eventBridge.Principal).toEqual({ Service: ["events.amazonaws.com"] });
    expect(asArray(eventBridge.Action)).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(eventBridge.Condition).toBeUndefined();
  });

  it("has no wildcard principal and no Deny that could lock the account out", () => {
    for (const statement of statements) {
      expect(statement.Effect).toBe("Allow");
      expect(JSON.stringify(statement.Principal)).not.toContain('"*"');
    }
  });
});

describe("regional key policy for the EC2 app tier", () => {
  const roleName = "AWSServiceRoleForAutoScaling_tap-dev-app-euw1";
  const roleArn = `arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/${roleName}`;
  const withFleet = buildKeyPolicy({
    accountId: "111122223333",
    partition: "aws",
    region: "eu-west-1",
    logGroupNamePrefixes: ["/tap/dev/"],
    autoScalingServiceLinkedRoleNames: [roleName],
  }).Statement as PolicyStatement[];
  const fleetSid = (sid: string): PolicyStatement => {
    const found = withFleet.find((statement) => statement.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
  };

  it("adds nothing when no fleet's role is named", () => {
    expect(statements.map((s) => s.Sid)).not.toContain("AutoScalingServiceLinkedRoleUse");
    expect(withFleet.slice(0, statements.length).map((s) => s.Sid)).toEqual(
      statements.map((s) => s.Sid),
    );
  });

  it("lets the fleet's Auto Scaling role use the key, as the EC2 Auto Scaling guide asks", () => {
    expect(fleetSid("AutoScalingServiceLinkedRoleUse")).toEqual({
      Sid: "AutoScalingServiceLinkedRoleUse",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": "111122223333" },
        ArnEquals: { "aws:PrincipalArn": [roleArn] },
      },
    });
  });

  it("lets it create grants only for AWS resources (the EBS volumes it attaches)", () => {
    expect(fleetSid("AutoScalingServiceLinkedRoleGrantsForVolumes")).toEqual({
      Sid: "AutoScalingServiceLinkedRoleGrantsForVolumes",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": "111122223333" },
        ArnEquals: { "aws:PrincipalArn": [roleArn] },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    });
  });

  it("never leaves a wildcard principal without the exact role ARN and this account (K-3)", () => {
    for (const statement of withFleet.filter((s) => JSON.stringify(s.Principal).includes('"*"'))) {
      expect(statement.Condition?.ArnEquals).toEqual({ "aws:PrincipalArn": [roleArn] });
      expect(statement.Condition?.StringEquals?.["kms:CallerAccount"]).toBe("111122223333");
    }
  });
});
