import { DescribeKeyCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import { clientsFor } from "./clients";
import { StackOutputs, describeLive } from "./stack-outputs";

describeLive("deployed KMS keys", (outputs: StackOutputs) => {
  it.each([
    ["primary", "primaryRegion", "primaryKmsKeyArn", "primaryKmsKeyAlias"],
    ["dr", "drRegion", "drKmsKeyArn", "drKmsKeyAlias"],
  ] as const)(
    "has an enabled, rotating customer-managed %s key in its region, behind its alias",
    async (_side, regionKey, arnKey, aliasKey) => {
      const region = outputs.text(regionKey);
      const { kms } = clientsFor(region);
      const keyArn = outputs.text(arnKey);
      expect(keyArn).toMatch(new RegExp(`^arn:aws[a-z-]*:kms:${region}:`));

      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
      expect(KeyMetadata?.KeyManager).toBe("CUSTOMER");
      expect(KeyMetadata?.KeyState).toBe("Enabled");
      expect(KeyMetadata?.MultiRegion).toBe(false);

      const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
      expect(rotation.KeyRotationEnabled).toBe(true);

      const byAlias = await kms.send(new DescribeKeyCommand({ KeyId: outputs.text(aliasKey) }));
      expect(byAlias.KeyMetadata?.Arn).toBe(keyArn);
    },
  );
});
