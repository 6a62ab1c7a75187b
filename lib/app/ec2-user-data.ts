/**
 * The boot script of an app instance, built as plain text so it can be tested line by line.
 * It holds names and locations only, never a secret (AS-13): the database password is read at
 * run time from Secrets Manager through DB_SECRET_ID, with the instance role.
 */
import { createHash } from "node:crypto";

/** Where the server lives on the instance. */
export const APP_DIR = "/opt/tap";
export const BUNDLE_PATH = `${APP_DIR}/index.js`;
/** Environment of the service, readable by root and the service user only. */
export const ENV_FILE = "/etc/tap/app.env";
export const SERVICE_NAME = "tap-api";
export const SERVICE_USER = "tap";

/**
 * AL2023 ships Node.js 22 as the namespaced package nodejs22, whose binary is /usr/bin/node-22;
 * /usr/bin/node is an alternatives link that another installed version could take over
 * ("Node.js in AL2023", Amazon Linux 2023 User Guide). awscli-2 fetches the bundle.
 */
export const NODE_PACKAGE = "nodejs22";
export const NODE_BINARY = "/usr/bin/node-22";
export const AWS_CLI_PACKAGE = "awscli-2";

/**
 * The Amazon RDS CA bundle for all Regions (Aurora User Guide, "Using SSL/TLS to encrypt a
 * connection to a DB cluster", certificate bundles). The global bundle, not the Region's own:
 * it also verifies the other Region's cluster if DB_HOST ever points there.
 */
export const RDS_CA_BUNDLE_URL =
  "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
export const RDS_CA_BUNDLE_PATH = `${APP_DIR}/rds-global-bundle.pem`;

/** Variables the fleet sets itself; the caller's environment may not override them. */
export const FLEET_ENVIRONMENT_KEYS = ["AWS_REGION", "DB_CA_FILE", "NODE_ENV", "PORT"] as const;

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Ids, names, hosts, ARNs and URLs: nothing that a shell or systemd would reinterpret. */
const ENV_VALUE = /^[A-Za-z0-9._:/@+=,-]*$/;
/** Names that announce a secret value. DB_SECRET_ID (a name, not a value) is fine. */
const SECRET_NAME = /(PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|_SECRET$)/;

/** sha256 (hex) of the bundle: its identity in the object key and in the user data. */
export function bundleSha256(bundle: string): string {
  return createHash("sha256").update(bundle, "utf8").digest("hex");
}

/** The bundle's object key: a new bundle is a new key, so a new launch template version. */
export function bundleObjectKey(bundle: string): string {
  return `ec2-server/${bundleSha256(bundle)}.js`;
}

/** Problems with the names of the caller's environment, each with its fix. */
export function environmentNameProblems(names: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of names) {
    if (!ENV_NAME.test(name)) {
      problems.push(`"${name}" is not an environment variable name; use upper case, digits and _`);
    } else if ((FLEET_ENVIRONMENT_KEYS as readonly string[]).includes(name)) {
      problems.push(`${name} is set by the fleet itself; remove it from environment`);
    } else if (SECRET_NAME.test(name)) {
      problems.push(
        `${name} looks like a secret, and user data is readable by anything that can describe the instance (AS-13); pass the secret's id and read it at run time`,
      );
    }
  }
  return problems;
}

/**
 * Checks the caller's environment before it is written into user data: names (also checked
 * when the component is built, before values are known) and values.
 */
export function validateFleetEnvironment(environment: Readonly<Record<string, string>>): void {
  const problems = environmentNameProblems(Object.keys(environment));
  for (const [name, value] of Object.entries(environment)) {
    if (!ENV_VALUE.test(value)) {
      problems.push(
        `${name}=${JSON.stringify(value)} has characters outside A-Z a-z 0-9 . _ : / @ + = , -; user data writes values unquoted`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(`Ec2AppFleet environment:\n  ${problems.join("\n  ")}`);
  }
}

export interface UserDataInput {
  /** The instance's region (the AWS CLI and the SDK clients use it). */
  readonly region: string;
  /** Artifacts bucket and key of the bundle. */
  readonly bucketName: string;
  readonly objectKey: string;
  /** sha256 (hex) of the bundle; the download is checked against it. */
  readonly bundleSha256: string;
  /** Port the server listens on (the target group's port). */
  readonly appPort: number;
  /** Application environment (DB_HOST, DB_SECRET_ID, TABLE_NAME, QUEUE_URL, ...). */
  readonly environment: Readonly<Record<string, string>>;
}

/** The systemd unit: restarts always, runs unprivileged with a read-only system. */
export function systemdUnit(): string {
  return [
    "[Unit]",
    "Description=tap-dr transaction API",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `User=${SERVICE_USER}`,
    `Group=${SERVICE_USER}`,
    `EnvironmentFile=${ENV_FILE}`,
    `ExecStart=${NODE_BINARY} ${BUNDLE_PATH}`,
    "Restart=always",
    "RestartSec=2",
    "NoNewPrivileges=true",
    "ProtectSystem=strict",
    "ProtectHome=true",
    "PrivateTmp=true",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** KEY=value lines for systemd's EnvironmentFile, fleet variables first, then sorted. */
export function environmentFile(input: UserDataInput): string {
  validateFleetEnvironment(input.environment);
  const fleet: Record<(typeof FLEET_ENVIRONMENT_KEYS)[number], string> = {
    AWS_REGION: input.region,
    DB_CA_FILE: RDS_CA_BUNDLE_PATH,
    NODE_ENV: "production",
    PORT: String(input.appPort),
  };
  const app = Object.keys(input.environment)
    .sort()
    .map((name) => `${name}=${input.environment[name]}`);
  return [...Object.entries(fleet).map(([name, value]) => `${name}=${value}`), ...app, ""].join(
    "\n",
  );
}

/**
 * The user data script (cloud-init runs it once, as root, at first boot). Heredocs are quoted,
 * so nothing in them is expanded; values were checked by validateFleetEnvironment.
 */
export function buildUserData(input: UserDataInput): string {
  if (!/^[0-9a-f]{64}$/.test(input.bundleSha256)) {
    throw new Error(`bundleSha256 "${input.bundleSha256}" is not a hex sha256`);
  }
  const source = `s3://${input.bucketName}/${input.objectKey}`;
  return [
    "#!/bin/bash",
    `# tap-dr API server, bundle sha256 ${input.bundleSha256}`,
    "set -euo pipefail",
    "",
    "# Package mirrors and S3 can be briefly unreachable while the NAT route settles.",
    'retry() { for n in 1 2 3 4 5 6 7 8 9 10; do "$@" && return 0; sleep $((n * 3)); done; return 1; }',
    "",
    `retry dnf install -y ${NODE_PACKAGE} ${AWS_CLI_PACKAGE}`,
    `id -u ${SERVICE_USER} >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin ${SERVICE_USER}`,
    `install -d -m 0755 ${APP_DIR} /etc/tap`,
    "",
    `retry aws s3 cp --only-show-errors --region ${input.region} ${source} ${BUNDLE_PATH}`,
    `echo "${input.bundleSha256}  ${BUNDLE_PATH}" | sha256sum --check --strict`,
    `retry curl --fail --silent --show-error --proto =https --tlsv1.2 -o ${RDS_CA_BUNDLE_PATH} ${RDS_CA_BUNDLE_URL}`,
    `chmod 0644 ${BUNDLE_PATH} ${RDS_CA_BUNDLE_PATH}`,
    "",
    `cat > ${ENV_FILE} <<'TAP_ENV'`,
    environmentFile(input).trimEnd(),
    "TAP_ENV",
    `chown root:${SERVICE_USER} ${ENV_FILE}`,
    `chmod 0640 ${ENV_FILE}`,
    "",
    `cat > /etc/systemd/system/${SERVICE_NAME}.service <<'TAP_UNIT'`,
    systemdUnit().trimEnd(),
    "TAP_UNIT",
    "systemctl daemon-reload",
    `systemctl enable --now ${SERVICE_NAME}.service`,
    "",
  ].join("\n");
}
