import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Where CI (or a person) writes `pulumi stack output --json`. */
export const OUTPUTS_FILE = join(__dirname, "..", "..", "cfn-outputs", "flat-outputs.json");

/**
 * Every stack output the integration tests read. The unit test
 * tests/unit/graph/outputs-contract.test.ts proves index.ts exports each one.
 */
export const STACK_OUTPUT_KEYS = [
  "environmentSuffix",
  "stackMode",
  "primaryRegion",
  "drRegion",
  "primaryVpcId",
  "primaryVpcCidr",
  "primaryPublicSubnetIds",
  "primaryPrivateSubnetIds",
  "primaryIsolatedSubnetIds",
  "primaryKmsKeyArn",
  "primaryKmsKeyAlias",
  "primaryFlowLogGroupName",
  "drVpcId",
  "drVpcCidr",
  "drPublicSubnetIds",
  "drPrivateSubnetIds",
  "drIsolatedSubnetIds",
  "drKmsKeyArn",
  "drKmsKeyAlias",
  "drFlowLogGroupName",
  "vpcPeeringConnectionId",
  "globalClusterIdentifier",
  "globalWriterEndpoint",
  "databaseSecretArn",
  "drDatabaseSecretArn",
  "dbSecretRotationDays",
  "secretRotationFunctionName",
  "transactionTableName",
  "transactionTableReplicaRegions",
  "backupPlanId",
  "primaryClusterArn",
  "primaryClusterEndpoint",
  "primaryClusterReaderEndpoint",
  "primaryTxlogsBucketName",
  "primaryTxlogsBucketArn",
  "primaryDocumentsBucketName",
  "primaryDocumentsBucketArn",
  "primaryAccessLogBucketName",
  "primaryReplicationRoleArn",
  "primaryQueueUrl",
  "primaryDeadLetterQueueUrl",
  "primaryBackupVaultName",
  "drClusterArn",
  "drClusterEndpoint",
  "drClusterReaderEndpoint",
  "drTxlogsBucketName",
  "drTxlogsBucketArn",
  "drDocumentsBucketName",
  "drDocumentsBucketArn",
  "drAccessLogBucketName",
  "drReplicationRoleArn",
  "drQueueUrl",
  "drDeadLetterQueueUrl",
  "drBackupVaultName",
  "primaryApiUrl",
  "drApiUrl",
  "accountId",
  "primaryAvailabilityZones",
  "drAvailabilityZones",
  "primaryOrchestratorFunctionName",
  "drOrchestratorFunctionName",
  "primaryControlTableName",
  "drControlTableName",
  "primaryStateMachineArn",
  "drStateMachineArn",
  "primaryProberFunctionName",
  "drProberFunctionName",
  "primaryFailoverQueueUrl",
  "drFailoverQueueUrl",
  "primaryAlertTopicArn",
  "drAlertTopicArn",
  "primaryCorroboratingAlarmName",
  "drCorroboratingAlarmName",
  "primaryAlarmNames",
  "drAlarmNames",
  "primaryDashboardName",
  "drDashboardName",
  "globalDashboardName",
  "primaryProberTargetUrl",
  "drProberTargetUrl",
  "failoverMode",
  "drTier",
] as const;

/** Outputs a stack exports only when a domain is configured (always in production mode). */
export const DNS_OUTPUT_KEYS = [
  "hostedZoneId",
  "apiFailoverName",
  "apiFailoverUrl",
  "primaryHealthCheckId",
  "drHealthCheckId",
  "healthCheckAlarmNames",
] as const;
export type StackOutputKey = (typeof STACK_OUTPUT_KEYS)[number] | (typeof DNS_OUTPUT_KEYS)[number];

/**
 * Test-only: the path of a simulated stack's outputs (tests/simulated/). When it is set, the
 * suites read that file instead of OUTPUTS_FILE; a real run never sets it.
 */
export const SIMULATED_OUTPUTS_ENV = "TAP_SIMULATED_OUTPUTS";

export class StackOutputs {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly file: string = OUTPUTS_FILE,
  ) {}

  text(key: StackOutputKey): string {
    const value = this.values[key];
    if (typeof value !== "string" || value === "") {
      throw new Error(`stack output ${key} is missing or not a string in ${this.file}`);
    }
    return value;
  }

  /** An output that only some stacks export (see DNS_OUTPUT_KEYS); undefined when absent. */
  optionalText(key: StackOutputKey): string | undefined {
    const value = this.values[key];
    return typeof value === "string" && value !== "" ? value : undefined;
  }

  /** A number output: a JSON number, or its decimal text (some CI steps flatten values to strings). */
  number(key: StackOutputKey): number {
    const raw = this.values[key];
    const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(`stack output ${key} is missing or not a number in ${this.file}`);
    }
    return value;
  }

  /** A list output: a JSON array, or a JSON array flattened to a string by some CI steps. */
  list(key: StackOutputKey): string[] {
    const raw = this.values[key];
    const value: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw new Error(`stack output ${key} is not a list of strings in ${this.file}`);
    }
    return value;
  }
}

/** The outputs file this run reads: the simulated stack's when the test-only variable is set. */
export function stackOutputsFile(): string {
  const simulated = process.env[SIMULATED_OUTPUTS_ENV];
  return simulated !== undefined && simulated !== "" ? simulated : OUTPUTS_FILE;
}

/** The deployed stack's outputs, or undefined when no stack was deployed for this run. */
export function loadStackOutputs(): StackOutputs | undefined {
  const file = stackOutputsFile();
  if (!existsSync(file)) {
    return undefined;
  }
  return new StackOutputs(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>, file);
}

/**
 * `describe` for tests against a deployed stack. Without the outputs file the
 * block is skipped, and its title and a line on stderr say why.
 */
export function describeLive(title: string, body: (outputs: StackOutputs) => void): void {
  const outputs = loadStackOutputs();
  if (outputs === undefined) {
    const reason = `skipped: ${OUTPUTS_FILE} not found; deploy a stack and run \`pulumi stack output --json > cfn-outputs/flat-outputs.json\``;
    // Straight to stderr: jest does not print the buffered console of a fully skipped file.
    process.stderr.write(`${title}: ${reason}\n`);
    describe.skip(`${title} (${reason})`, () => {
      it("needs a deployed stack", () => undefined);
    });
    return;
  }
  describe(title, () => body(outputs));
}
