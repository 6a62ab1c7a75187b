import { StackMode } from "./config";

/** What the two stack modes mean for resources, decided in one place. */
export interface ModeSettings {
  /** Days a deleted KMS key waits before it is gone (AWS allows 7-30). */
  readonly kmsDeletionWindowDays: number;
  /** CloudWatch Logs retention for audit logs (flow logs). PCI DSS 10.5.1 asks for 12 months. */
  readonly auditLogRetentionDays: number;
  /**
   * Keep the cloud resource when Pulumi deletes it, for resources whose loss
   * loses data (keys that encrypt data, audit logs).
   */
  readonly retainDataOnDelete: boolean;
  /** Deletion protection on the global cluster, clusters and DynamoDB table and its replica. */
  readonly deletionProtection: boolean;
  /** Take a final snapshot when an Aurora cluster is deleted. */
  readonly finalSnapshot: boolean;
  /**
   * Let destroy empty what it deletes: buckets (all versions), backup vaults (recovery
   * points) and the global cluster (its members).
   */
  readonly forceDestroy: boolean;
  /** Days S3 keeps noncurrent object versions (overwritten or deleted data). */
  readonly noncurrentVersionDays: number;
  /** Secrets Manager recovery window; 0 deletes at once so a test stack can be recreated. */
  readonly secretRecoveryWindowDays: number;
  /**
   * Deletion protection on the application load balancers (LB-2). In test mode it is off, so
   * `pulumi destroy` can delete them; ELB refuses DeleteLoadBalancer while it is on.
   */
  readonly loadBalancerDeletionProtection: boolean;
  /** CloudWatch Logs retention of the functions' logs (CW-3; CW-4 asks for 365 in production). */
  readonly appLogRetentionDays: number;
  /**
   * Pulumi `protect` on every resource whose loss is data loss or an outage: the global
   * cluster, both member clusters and their instances, the table (its replica is part of it),
   * the data and access-log buckets, the vaults, the keys, the secret (its replica is part of
   * it), the queues and DLQs, a hosted zone the stack created and the EC2 fleet's group.
   * Pulumi's preview then fails a `pulumi destroy` before anything is deleted (a destroy run
   * without a preview, `--skip-preview`, deletes every unprotected resource). Deletion
   * protection alone stops too late: RDS deletes a protected cluster's instances, and Pulumi
   * deletes everything that depends on the cluster first. Lifted by the config key
   * `protectResources` (ModeOverrides).
   */
  readonly protectData: boolean;
  /**
   * S3 Object Lock on the txlogs buckets and AWS Backup Vault Lock on the vaults (issue #10),
   * with the modes and days of the config (RetentionLockConfig). Off in test mode: a locked
   * object version cannot be deleted before its retention ends, so force-destroy could not
   * empty the bucket, and Object Lock can never be turned off again once on.
   */
  readonly retentionLocks: boolean;
}

const SETTINGS: Readonly<Record<StackMode, ModeSettings>> = {
  test: {
    kmsDeletionWindowDays: 7,
    auditLogRetentionDays: 7,
    retainDataOnDelete: false,
    deletionProtection: false,
    finalSnapshot: false,
    forceDestroy: true,
    noncurrentVersionDays: 7,
    secretRecoveryWindowDays: 0,
    loadBalancerDeletionProtection: false,
    appLogRetentionDays: 7,
    protectData: false,
    retentionLocks: false,
  },
  production: {
    kmsDeletionWindowDays: 30,
    auditLogRetentionDays: 365,
    retainDataOnDelete: true,
    deletionProtection: true,
    finalSnapshot: true,
    forceDestroy: false,
    noncurrentVersionDays: 90,
    secretRecoveryWindowDays: 30,
    loadBalancerDeletionProtection: true,
    appLogRetentionDays: 365,
    protectData: true,
    retentionLocks: true,
  },
};

/** Deliberate exceptions to a mode's settings, from the stack config. */
export interface ModeOverrides {
  /**
   * false lifts `protectData` (the teardown procedure in the README); it changes nothing else,
   * so the `pulumi up` that applies it only rewrites the protect flags in the state. Only
   * meaningful in production: test mode protects nothing either way. @default true
   */
  readonly protectResources?: boolean;
}

export function modeSettings(mode: StackMode, overrides: ModeOverrides = {}): ModeSettings {
  const settings = SETTINGS[mode];
  return {
    ...settings,
    protectData: settings.protectData && (overrides.protectResources ?? true),
  };
}
