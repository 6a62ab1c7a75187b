/**
 * Who runs the CLI, for the audit trail's `requestedBy`: the caller ARN from STS
 * GetCallerIdentity, asked of the TARGET region's STS endpoint (the global endpoint is served
 * from us-east-1, which may be the region that is down). The audit must not depend on it:
 * when STS does not answer, the caller is "cli".
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/** The caller ARN as seen in `region`, or undefined when it cannot be known. */
export type CallerIdentity = (region: string) => Promise<string | undefined>;

export const stsCallerIdentity: CallerIdentity = async (region) => {
  const client = new STSClient({
    region,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
  });
  try {
    const out = await client.send(new GetCallerIdentityCommand({}));
    return out.Arn;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
};

/** Attribution sent to the orchestrator: "cli:<caller ARN>", or "cli" when unknown. */
export function requestedByOf(callerArn: string | undefined): string {
  // The orchestrator accepts at most 200 characters; an ARN is far shorter in practice.
  return callerArn === undefined || callerArn === "" ? "cli" : `cli:${callerArn}`.slice(0, 200);
}
