/**
 * Lambda entry of the master secret's rotation function (single user), invoked by Secrets
 * Manager in the primary region once per step.
 *
 * Environment contract (set by the Pulumi program):
 *   AWS_REGION           set by Lambda: the secret's primary region
 *   NODE_EXTRA_CA_CERTS  /var/runtime/ca-cert.pem: the Amazon RDS CAs for verified TLS
 *   DB_CA_FILE           optional PEM bundle to pin the database CA instead
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

import { optionalEnv, requireEnv } from "../shared/env";
import { logger } from "../shared/observability";
import { makeRotationHandler } from "./handler";
import { PostgresAuthority } from "./postgres-authority";
import type { RotationEvent } from "./rotation";
import { SecretsManagerVersions } from "./secrets-manager-versions";

const rotation = makeRotationHandler({
  secrets: new SecretsManagerVersions(
    new SecretsManagerClient({ region: requireEnv("AWS_REGION"), maxAttempts: 3 }),
  ),
  database: new PostgresAuthority({ caFile: optionalEnv("DB_CA_FILE") }),
  log: (message, fields) => logger.info(message, fields),
});

export const handler = async (event: RotationEvent): Promise<void> => {
  logger.appendKeys({ step: event.Step, secretId: event.SecretId });
  await rotation(event);
};
