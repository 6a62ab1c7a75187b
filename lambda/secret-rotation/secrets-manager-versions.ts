/** SecretVersions on Secrets Manager, in the function's own (the secret's primary) region. */
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";

import { AWSCURRENT, AWSPENDING, type SecretVersions, type StagingLabel } from "./rotation";

/**
 * Characters left out of generated passwords: the quote and backslash characters that need
 * escaping in a connection string, and the ones RDS refuses in a master password ("/", "@",
 * '"' and space; RDS CreateDBCluster MasterUserPassword).
 */
export const PASSWORD_EXCLUDED_CHARACTERS = "/@\"'\\` ";
/** Secrets Manager's generator: 32 printable ASCII characters. */
export const PASSWORD_LENGTH = 32;

export class SecretsManagerVersions implements SecretVersions {
  constructor(private readonly client: SecretsManagerClient) {}

  async describe(
    secretId: string,
  ): Promise<{ rotationEnabled: boolean; versions: Record<string, string[]> }> {
    const answer = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    return {
      rotationEnabled: answer.RotationEnabled === true,
      versions: answer.VersionIdsToStages ?? {},
    };
  }

  async get(
    secretId: string,
    stage: StagingLabel,
    versionId?: string,
  ): Promise<string | undefined> {
    try {
      const { SecretString } = await this.client.send(
        new GetSecretValueCommand({
          SecretId: secretId,
          VersionStage: stage,
          VersionId: versionId,
        }),
      );
      return SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async randomPassword(): Promise<string> {
    const { RandomPassword } = await this.client.send(
      new GetRandomPasswordCommand({
        PasswordLength: PASSWORD_LENGTH,
        ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
        RequireEachIncludedType: true,
      }),
    );
    if (RandomPassword === undefined) {
      throw new Error("GetRandomPassword returned no password");
    }
    return RandomPassword;
  }

  async putPending(secretId: string, token: string, value: string): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: value,
        VersionStages: [AWSPENDING],
      }),
    );
  }

  async promote(
    secretId: string,
    toVersion: string,
    fromVersion: string | undefined,
  ): Promise<void> {
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: AWSCURRENT,
        MoveToVersionId: toVersion,
        RemoveFromVersionId: fromVersion,
      }),
    );
  }
}
