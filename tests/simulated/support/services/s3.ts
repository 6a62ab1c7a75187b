/** Test-only: the simulated s3 API (see ../simulated-aws.ts). */
import {
  GetBucketEncryptionCommand,
  type GetBucketEncryptionCommandInput,
  GetBucketReplicationCommand,
  type GetBucketReplicationCommandInput,
  GetBucketVersioningCommand,
  type GetBucketVersioningCommandInput,
  GetObjectLockConfigurationCommand,
  type GetObjectLockConfigurationCommandInput,
  GetPublicAccessBlockCommand,
  type GetPublicAccessBlockCommandInput,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, awsError, bool, record, records, regionOf, text } from "../cloud";

export function installS3(cloud: () => Cloud): () => void {
  const s3 = mockClient(S3Client);
  // GetBucketVersioningOutput: Status is absent on a bucket that never had versioning.
  s3.on(GetBucketVersioningCommand).callsFake(
    async (input: GetBucketVersioningCommandInput, getClient) => {
      const c = cloud();
      const bucket = c.bucket(input.Bucket, await regionOf(getClient));
      const part = c.bucketPart("aws:s3/bucketVersioning:BucketVersioning", bucket);
      return { Status: text(record(part?.inputs.versioningConfiguration).status) };
    },
  );
  // GetObjectLockConfigurationOutput.ObjectLockConfiguration; a bucket without Object Lock
  // answers ObjectLockConfigurationNotFoundError.
  s3.on(GetObjectLockConfigurationCommand).callsFake(
    async (input: GetObjectLockConfigurationCommandInput, getClient) => {
      const c = cloud();
      const bucket = c.bucket(input.Bucket, await regionOf(getClient));
      const part = c.bucketPart(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        bucket,
      );
      if (!part)
        throw awsError(
          "ObjectLockConfigurationNotFoundError",
          "Object Lock configuration does not exist for this bucket",
        );
      const retention = record(record(part.inputs.rule).defaultRetention);
      return {
        ObjectLockConfiguration: {
          ObjectLockEnabled: text(part.inputs.objectLockEnabled),
          Rule:
            Object.keys(retention).length === 0
              ? undefined
              : {
                  DefaultRetention: {
                    Mode: text(retention.mode),
                    Days: typeof retention.days === "number" ? retention.days : undefined,
                    Years: typeof retention.years === "number" ? retention.years : undefined,
                  },
                },
        },
      };
    },
  );
  // GetPublicAccessBlockOutput.PublicAccessBlockConfiguration, in the API's field order.
  s3.on(GetPublicAccessBlockCommand).callsFake(
    async (input: GetPublicAccessBlockCommandInput, getClient) => {
      const c = cloud();
      const bucket = c.bucket(input.Bucket, await regionOf(getClient));
      const part = c.bucketPart("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
      if (!part)
        throw awsError(
          "NoSuchPublicAccessBlockConfiguration",
          "The public access block configuration was not found",
        );
      return {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: bool(part.inputs.blockPublicAcls, false),
          IgnorePublicAcls: bool(part.inputs.ignorePublicAcls, false),
          BlockPublicPolicy: bool(part.inputs.blockPublicPolicy, false),
          RestrictPublicBuckets: bool(part.inputs.restrictPublicBuckets, false),
        },
      };
    },
  );
  // GetBucketEncryptionOutput; every bucket has SSE-S3 (AES256) by default since January 2023.
  s3.on(GetBucketEncryptionCommand).callsFake(
    async (input: GetBucketEncryptionCommandInput, getClient) => {
      const c = cloud();
      const bucket = c.bucket(input.Bucket, await regionOf(getClient));
      const part = c.bucketPart(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        bucket,
      );
      const rules = part
        ? records(part.inputs.rules).map((rule) => {
            const byDefault = record(rule.applyServerSideEncryptionByDefault);
            return {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: text(byDefault.sseAlgorithm),
                KMSMasterKeyID: text(byDefault.kmsMasterKeyId),
              },
              BucketKeyEnabled: bool(rule.bucketKeyEnabled, false),
            };
          })
        : [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" },
              BucketKeyEnabled: false,
            },
          ];
      return { ServerSideEncryptionConfiguration: { Rules: rules } };
    },
  );
  // GetBucketReplicationOutput.ReplicationConfiguration: Role, Rules: ReplicationRule[]
  s3.on(GetBucketReplicationCommand).callsFake(
    async (input: GetBucketReplicationCommandInput, getClient) => {
      const c = cloud();
      const bucket = c.bucket(input.Bucket, await regionOf(getClient));
      const part = c.bucketPart("aws:s3/bucketReplicationConfig:BucketReplicationConfig", bucket);
      if (!part)
        throw awsError(
          "ReplicationConfigurationNotFoundError",
          "The replication configuration was not found",
        );
      return {
        ReplicationConfiguration: {
          Role: text(part.inputs.role),
          Rules: records(part.inputs.rules).map((rule) => {
            const destination = record(rule.destination);
            const time = record(destination.replicationTime);
            return {
              ID: text(rule.id),
              Priority: typeof rule.priority === "number" ? rule.priority : undefined,
              Status: text(rule.status),
              Filter: {},
              DeleteMarkerReplication: {
                Status: text(record(rule.deleteMarkerReplication).status),
              },
              Destination: {
                Bucket: text(destination.bucket),
                StorageClass: text(destination.storageClass),
                EncryptionConfiguration: {
                  ReplicaKmsKeyID: text(
                    record(destination.encryptionConfiguration).replicaKmsKeyId,
                  ),
                },
                ReplicationTime:
                  Object.keys(time).length === 0
                    ? undefined
                    : {
                        Status: text(time.status),
                        Time: { Minutes: Number(record(time.time).minutes) },
                      },
              },
            };
          }),
        },
      };
    },
  );
  return () => s3.restore();
}
