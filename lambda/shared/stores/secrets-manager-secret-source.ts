/** SecretSource on Secrets Manager (the region-local replica of the master secret). */
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

import type { SecretSource } from "./ports";

export class SecretsManagerSecretSource implements SecretSource {
  constructor(private readonly client: SecretsManagerClient) {}

  async getSecretString(secretId: string): Promise<string> {
    const { SecretString } = await this.client.send(
      new GetSecretValueCommand({ SecretId: secretId }),
    );
    if (SecretString === undefined) {
      throw new Error(`Secret ${secretId} has no SecretString`);
    }
    return SecretString;
  }
}
