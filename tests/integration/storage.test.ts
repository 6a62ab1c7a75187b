import {
  GetBucketEncryptionCommand,
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
