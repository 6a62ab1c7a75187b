/**
 * EC2 entry (appTier "ec2"): node:http on 0.0.0.0:PORT behind the ALB target group. Each request
 * becomes the ALB event a Lambda target would get and goes to the SAME `makeApiHandler`, wired to
 * the SAME AWS adapters as the Lambda entry (buildAwsAdapters reads AWS_REGION, DB_*, DB_CA_FILE,
 * TABLE_NAME and QUEUE_URL). systemd (Restart=always) starts it again if it exits.
 */
import { createAlbHttpServer } from "../shared/alb-http";
import { buildAwsAdapters } from "../shared/aws-wiring";
import { requirePortEnv } from "../shared/env";
import { logger } from "../shared/observability";
import { makeApiHandler } from "../transaction-api/handler";

const port = requirePortEnv("PORT");
const server = createAlbHttpServer(makeApiHandler(buildAwsAdapters()));
// Longer than the ALB's 60 s idle timeout, so the target never closes a connection the load
// balancer is about to reuse (a 502); ELB User Guide, "Connection idle timeout".
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, "0.0.0.0", () => logger.info("API listening", { port }));

// Scale-in and instance refresh stop the unit with SIGTERM: finish in-flight requests first.
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
});
