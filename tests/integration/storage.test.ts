import {
  GetBucketEncryptionCommand,
  GetObjectLockConfigurationCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { clientsFor } from "./clients";
import { StackOutputs, describeLive } from "./stack-outputs";

const SIDES = [
  ["primary", "primaryRegion", "primaryKmsKeyArn", "dr", "drKmsKeyArn"],
  ["dr", "drRegion", "drKmsKeyArn", "primary", "primaryKmsKeyArn"],
] as const;

describeLive("deployed buckets and queues", (outputs: StackOutputs) => {
  // Object Lock is a production-mode setting (test mode leaves it off so destroy can empty the
  // buckets); decided when the suite is defined, so a skipped case says why in its title.
  const isProduction = outputs.optionalText("stackMode") === "production";
  const inProduction = isProduction ? it : it.skip;
  const productionNote = isProduction
    ? ""
    : " (skipped: test-mode stacks set no Object Lock, so destroy can empty the bucket)";

  it.each(SIDES)(
    "versions, encrypts and closes the %s buckets, and replicates them to the other region",
    async (side, regionKey, keyKey, peer, peerKeyKey) => {
      const { s3 } = clientsFor(outputs.text(regionKey));
      for (const purpose of ["Txlogs", "Documents"] as const) {
        const Bucket = outputs.text(`${side}${purpose}BucketName`);
        const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket }));
        expect(versioning.Status).toBe("Enabled");
        const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
        expect(Object.values(block.PublicAccessBlockConfiguration ?? {})).toEqual([
          true,
          true,
          true,
          true,
        ]);
        const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
        const [rule] = encryption.ServerSideEncryptionConfiguration?.Rules ?? [];
        expect(rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID).toBe(outputs.text(keyKey));
        expect(rule.BucketKeyEnabled).toBe(true);

        const replication = await s3.send(new GetBucketReplicationCommand({ Bucket }));
        const [replicationRule] = replication.ReplicationConfiguration?.Rules ?? [];
        expect(replicationRule.Status).toBe("Enabled");
        expect(replicationRule.Destination?.Bucket).toBe(
          outputs.text(`${peer}${purpose}BucketArn`),
        );
        expect(replicationRule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID).toBe(
          outputs.text(peerKeyKey),
        );
        expect(replicationRule.Destination?.ReplicationTime?.Status).toBe("Enabled");
      }
    },
  );

  inProduction.each(SIDES)(
    `locks the %s txlogs bucket with S3 Object Lock and a default retention${productionNote}`,
    async (side, regionKey) => {
      const { s3 } = clientsFor(outputs.text(regionKey));
      const Bucket = outputs.text(`${side}TxlogsBucketName`);
      const { ObjectLockConfiguration } = await s3.send(
        new GetObjectLockConfigurationCommand({ Bucket }),
      );
      expect(ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");
      const retention = ObjectLockConfiguration?.Rule?.DefaultRetention;
      expect(["GOVERNANCE", "COMPLIANCE"]).toContain(retention?.Mode);
      expect((retention?.Days ?? 0) + (retention?.Years ?? 0)).toBeGreaterThan(0);
    },
  );

  it.each(SIDES)(
    "encrypts the %s transaction queue with its region's key and redrives it to its DLQ",
    async (side, regionKey, keyKey) => {
      const { sqs } = clientsFor(outputs.text(regionKey));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: outputs.text(`${side}QueueUrl`),
          AttributeNames: ["All"],
        }),
      );
      expect(Attributes?.KmsMasterKeyId).toBe(outputs.text(keyKey));
      const redrive = JSON.parse(Attributes?.RedrivePolicy ?? "{}") as {
        deadLetterTargetArn?: string;
      };
      expect(redrive.deadLetterTargetArn?.split(":").pop()).toBe(
        outputs.text(`${side}DeadLetterQueueUrl`).split("/").pop(),
      );
    },
  );
});
