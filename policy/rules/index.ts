/** Every rule of the tap-dr baseline, in the order reports list them. */
import { PolicyRule } from "../model";
import { BACKUP_RULES } from "./backup";
import { COMPUTE_RULES } from "./compute";
import { DYNAMODB_RULES } from "./dynamodb";
import { IAM_RULES } from "./iam";
import { KMS_RULES } from "./kms";
import { LOG_RULES } from "./logs";
import { MESSAGING_RULES } from "./messaging";
import { NETWORK_RULES } from "./network";
import { RDS_RULES } from "./rds";
import { S3_RULES } from "./s3";

export const ALL_RULES: readonly PolicyRule[] = [
  ...S3_RULES,
  ...KMS_RULES,
  ...RDS_RULES,
  ...DYNAMODB_RULES,
  ...MESSAGING_RULES,
  ...COMPUTE_RULES,
  ...NETWORK_RULES,
  ...IAM_RULES,
  ...LOG_RULES,
  ...BACKUP_RULES,
];

export { TYPES } from "./types";
