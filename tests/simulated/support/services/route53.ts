/** Test-only: the simulated route53 API (see ../simulated-aws.ts). */
import {
  GetHealthCheckStatusCommand,
  type GetHealthCheckStatusCommandInput,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, awsError } from "../cloud";
import { observeHealthCheck } from "../internet/health-checker";

/** Some of the regions Route 53 health checkers run in. */
const CHECKER_REGIONS = [
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "sa-east-1",
];

export function installRoute53(cloud: () => Cloud): () => void {
  const route53 = mockClient(Route53Client);
  // GetHealthCheckStatusResponse.HealthCheckObservations: HealthCheckObservation[]. Right after
  // creation the checkers have not reached the endpoint yet: the first answer for a check is all
  // Failure; later answers are what the checkers observe of the endpoint (health-checker.ts).
  route53.on(GetHealthCheckStatusCommand).callsFake((input: GetHealthCheckStatusCommandInput) => {
    const c = cloud();
    const id = String(input.HealthCheckId);
    const check = c.of("aws:route53/healthCheck:HealthCheck").find((r) => c.idOf(r) === id);
    if (!check) throw awsError("NoSuchHealthCheck", `A health check with id ${id} does not exist.`);
    const calls = c.stack.service.healthCheckCalls[id] ?? 0;
    c.stack.service.healthCheckCalls[id] = calls + 1;
    const observation =
      calls > 0
        ? observeHealthCheck(c, check)
        : { healthy: false, status: "Failure: the health checkers have not reported yet." };
    return {
      HealthCheckObservations: CHECKER_REGIONS.map((region, i) => ({
        Region: region,
        IPAddress: `15.177.${i}.1`,
        StatusReport: { Status: observation.status, CheckedTime: new Date(0) },
      })),
    };
  });
  return () => route53.restore();
}
