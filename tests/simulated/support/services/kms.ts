/** Test-only: the simulated kms API (see ../simulated-aws.ts). */
import {
  DescribeKeyCommand,
  type DescribeKeyCommandInput,
  GetKeyRotationStatusCommand,
  type GetKeyRotationStatusCommandInput,
  KMSClient,
} from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import type { CapturedResource } from "../../../support/mock-graph";
import { Cloud, awsError, awsManagedKey, bool, regionOf } from "../cloud";

/**
 * The service of an AWS-managed key's alias ("alias/aws/sns", or its alias ARN in `region`),
 * which exists in every region without being in the graph; undefined for any other KeyId.
 */
function awsManagedService(keyId: unknown, region: string): string | undefined {
  const match = /^(?:arn:aws:kms:([a-z0-9-]+):\d{12}:)?alias\/aws\/([a-z0-9-]+)$/.exec(
    String(keyId),
  );
  if (match === null || (match[1] !== undefined && match[1] !== region)) return undefined;
  return match[2];
}

export function installKms(cloud: () => Cloud): () => void {
  const kms = mockClient(KMSClient);
  // A KeyId is a key id, a key ARN, an alias name or an alias ARN, resolved in the client's region.
  const keyFor = (c: Cloud, keyId: unknown, region: string): CapturedResource => {
    const keys = c.of("aws:kms/key:Key", region);
    const alias = c
      .of("aws:kms/alias:Alias", region)
      .find((a) => a.inputs.name === keyId || c.arnOf(a) === keyId);
    const target = alias ? alias.inputs.targetKeyId : keyId;
    const key = keys.find((k) => c.idOf(k) === target || c.arnOf(k) === target);
    if (!key) throw awsError("NotFoundException", `Key '${String(keyId)}' does not exist`);
    return key;
  };
  // DescribeKeyResponse.KeyMetadata: KeyMetadata
  kms.on(DescribeKeyCommand).callsFake(async (input: DescribeKeyCommandInput, getClient) => {
    const region = await regionOf(getClient);
    const c = cloud();
    const service = awsManagedService(input.KeyId, region);
    if (service !== undefined) {
      const arn = awsManagedKey(region, service);
      return {
        KeyMetadata: {
          KeyId: arn.split("/").pop(),
          Arn: arn,
          AWSAccountId: TEST_ACCOUNT_ID,
          Enabled: true,
          KeyState: "Enabled",
          KeyManager: "AWS",
          KeyUsage: "ENCRYPT_DECRYPT",
          KeySpec: "SYMMETRIC_DEFAULT",
          MultiRegion: false,
          Description: `Default key that protects my ${service} data when no other key is defined`,
        },
      };
    }
    const key = keyFor(c, input.KeyId, region);
    return {
      KeyMetadata: {
        KeyId: c.idOf(key),
        Arn: c.arnOf(key),
        AWSAccountId: TEST_ACCOUNT_ID,
        Enabled: bool(key.inputs.isEnabled, true),
        KeyState: bool(key.inputs.isEnabled, true) ? "Enabled" : "Disabled",
        KeyManager: "CUSTOMER",
        KeyUsage: "ENCRYPT_DECRYPT",
        KeySpec: "SYMMETRIC_DEFAULT",
        MultiRegion: bool(key.inputs.multiRegion, false),
      },
    };
  });
  // GetKeyRotationStatusResponse
  kms
    .on(GetKeyRotationStatusCommand)
    .callsFake(async (input: GetKeyRotationStatusCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const key = keyFor(c, input.KeyId, region);
      return { KeyId: c.arnOf(key), KeyRotationEnabled: bool(key.inputs.enableKeyRotation, false) };
    });
  return () => kms.restore();
}
