/**
 * Config of the data tier: Aurora capacity per region, managed RPO, and backup
 * retention. Validated here against the limits AWS enforces, so a bad value
 * fails before `pulumi up` registers anything instead of half-way through.
 */
import { oneOf, wholeNumber } from "../util/config-checks";

/** Aurora capacity: Serverless v2 (db.serverless) or provisioned memory-optimized instances. */
export const DB_CAPACITY_MODES = ["serverless", "provisioned"] as const;
export type DbCapacityMode = (typeof DB_CAPACITY_MODES)[number];

export interface DatabaseConfig {
  readonly capacity: DbCapacityMode;
  /** Instance class when capacity is "provisioned" (memory-optimized: global databases reject db.t*). */
  readonly instanceClass: string;
  /** Serverless v2 range in Aurora capacity units (0.5 steps). */
  readonly minAcu: number;
  readonly maxAcu: number;
  /** Instances in the primary cluster: the writer plus readers. */
  readonly primaryInstances: number;
  /** Instances in the DR cluster; 0 is a headless, storage-only secondary (pilot light). */
  readonly drInstances: number;
  /** Aurora managed RPO bound (rds.global_db_rpo) in seconds; undefined (config 0) leaves it off. */
  readonly rpoSeconds: number | undefined;
  /** Aurora automated backup (PITR) retention in days. */
  readonly backupRetentionDays: number;
  /** Days between rotations of the master secret (Secrets Manager automaticallyAfterDays). */
  readonly secretRotationDays: number;
}

export interface BackupConfig {
  /** Days AWS Backup keeps daily recovery points, and their copies in the DR vault. */
  readonly dailyRetentionDays: number;
  /** Days hourly recovery points are kept; 0 turns the hourly rule off. */
  readonly hourlyRetentionDays: number;
}

/** S3 Object Lock retention modes (DefaultRetention.Mode). */
export const TXLOGS_LOCK_MODES = ["governance", "compliance"] as const;
export type TxlogsLockMode = (typeof TXLOGS_LOCK_MODES)[number];
/** AWS Backup Vault Lock: governance (removable) or compliance (immutable after the cooling-off). */
export const VAULT_LOCK_MODES = ["governance", "compliance"] as const;
export type VaultLockMode = (typeof VAULT_LOCK_MODES)[number];

/**
 * The production-only retention locks (issue #10): S3 Object Lock on both regions' txlogs
 * buckets and AWS Backup Vault Lock on both vaults. Test mode builds neither.
 */
export interface RetentionLockConfig {
  /** Default retention of the txlogs buckets (S3 Object Lock DefaultRetention). */
  readonly txlogs: { readonly mode: TxlogsLockMode; readonly retentionDays: number };
  readonly vault: {
    readonly mode: VaultLockMode;
    /** ChangeableForDays in compliance mode; unused in governance mode. */
    readonly coolingOffDays: number;
    /**
     * MinRetentionDays: the shortest retention any backup rule writes into a vault (the hourly
     * rule when on, else the daily rule and its copies), so no configured job falls below it.
     */
    readonly minRetentionDays: number;
  };
}

export interface RawDataTierConfig {
  readonly dbCapacity?: string;
  readonly dbInstanceClass?: string;
  readonly dbMinAcu?: string;
  readonly dbMaxAcu?: string;
  readonly primaryDbInstances?: string;
  readonly drDbInstances?: string;
  readonly dbRpoSeconds?: string;
  readonly dbBackupRetentionDays?: string;
  readonly dbSecretRotationDays?: string;
  readonly backupDailyRetentionDays?: string;
  readonly backupHourlyRetentionDays?: string;
  readonly txlogsLockMode?: string;
  readonly txlogsRetentionDays?: string;
  readonly vaultLockMode?: string;
  readonly vaultLockCoolingOffDays?: string;
}

export const DATA_TIER_DEFAULTS = {
  dbCapacity: "serverless",
  dbInstanceClass: "db.r6g.large",
  dbMinAcu: 2,
  dbMaxAcu: 16,
  primaryDbInstances: 2,
  drDbInstances: 1,
  dbRpoSeconds: 0,
  dbBackupRetentionDays: 7,
  dbSecretRotationDays: 30,
  backupDailyRetentionDays: 35,
  backupHourlyRetentionDays: 0,
  txlogsLockMode: "governance",
  txlogsRetentionDays: 365,
  vaultLockMode: "governance",
  vaultLockCoolingOffDays: 3,
} as const;

/** Serverless v2 limits. A global database never auto-pauses, so 0 ACU is rejected. */
export const MIN_ACU = 0.5;
export const MAX_ACU = 256;
/**
 * Instances per cluster of a global database with one secondary region. Aurora User Guide,
 * "Configuration requirements of an Amazon Aurora global database" (the limits formerly listed
 * under "Limitations of Amazon Aurora Global Database"): the primary cluster has one writer and
 * at most "15 - s" read-only instances, s being the number of secondary Regions, so with one
 * secondary it holds at most 1 + 14 = 15 instances. A secondary cluster has no writer and up to
 * 16 read-only instances, but a switchover or failover makes the DR cluster the primary, so it
 * is held to the primary's 15 as well: the roles can always swap.
 */
export const MAX_PRIMARY_DB_INSTANCES = 15;
export const MAX_DR_DB_INSTANCES = MAX_PRIMARY_DB_INSTANCES;
/** rds.global_db_rpo bounds from the Aurora PostgreSQL docs. */
export const MIN_RPO_SECONDS = 20;
export const MAX_RPO_SECONDS = 2_147_483_647;
/** Aurora BackupRetentionPeriod bounds. */
export const MAX_DB_BACKUP_RETENTION_DAYS = 35;
/**
 * Master secret rotation interval. Secrets Manager's RotationRules.AutomaticallyAfterDays takes
 * 1 to 1000; this stack holds it to at most 90 days (issue #10).
 */
export const MAX_SECRET_ROTATION_DAYS = 90;
/** Hourly backups are for short-term recovery; longer copies come from the daily rule. */
export const MAX_HOURLY_RETENTION_DAYS = 35;
/** Ten years: the longest retention this stack offers for daily recovery points. */
export const MAX_DAILY_RETENTION_DAYS = 3650;

/**
 * S3 Object Lock DefaultRetention Days: at least 1; this stack allows up to 100 years
 * (36500 days). S3 User Guide, "Locking objects with Object Lock".
 */
export const MAX_TXLOGS_RETENTION_DAYS = 36500;
/**
 * Vault Lock ChangeableForDays: AWS Backup enforces a 72-hour cooling-off, so at least 3
 * (CloudFormation AWS::Backup::BackupVault LockConfigurationType). The upper bound is this
 * stack's: a year to reconsider is more than enough.
 */
export const MIN_VAULT_LOCK_COOLING_OFF_DAYS = 3;
export const MAX_VAULT_LOCK_COOLING_OFF_DAYS = 365;

/**
 * Memory-optimized Graviton and Intel classes Aurora PostgreSQL global databases accept.
 * Burstable (db.t*) classes are not supported for global databases.
 */
const GLOBAL_DB_INSTANCE_CLASS = /^db\.(r5|r6g|r6i|r7g|r7i|r8g|x2g)\.(large|\d*xlarge)$/;

function acu(key: string, value: string, problems: string[]): number | undefined {
  const parsed = Number(value);
  if (
    !/^\d+(\.\d+)?$/.test(value) ||
    parsed < MIN_ACU ||
    parsed > MAX_ACU ||
    !Number.isInteger(parsed * 2)
  ) {
    problems.push(
      `${key}: "${value}" is not allowed; use ${MIN_ACU} to ${MAX_ACU} ACU in steps of 0.5 (a global database never pauses, so 0 is not allowed)`,
    );
    return undefined;
  }
  return parsed;
}

/** "0" (the default) turns managed RPO off; otherwise the rds.global_db_rpo range applies. */
function parseRpo(value: string, problems: string[]): number | undefined {
  if (value === "0") {
    return undefined;
  }
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < MIN_RPO_SECONDS || parsed > MAX_RPO_SECONDS) {
    problems.push(
      `dbRpoSeconds: "${value}" is not allowed; use 0 (managed RPO off) or a whole number from ${MIN_RPO_SECONDS} to ${MAX_RPO_SECONDS} (the range of rds.global_db_rpo)`,
    );
    return undefined;
  }
  return parsed;
}

/** Validates the data-tier keys, adding one line per problem; returns the config with defaults. */
export function parseDataTierConfig(
  raw: RawDataTierConfig,
  problems: string[],
): { database: DatabaseConfig; backup: BackupConfig; locks: RetentionLockConfig } {
  const d = DATA_TIER_DEFAULTS;
  const capacity = oneOf("dbCapacity", raw.dbCapacity ?? d.dbCapacity, DB_CAPACITY_MODES, problems);

  const instanceClass = raw.dbInstanceClass ?? d.dbInstanceClass;
  if (!GLOBAL_DB_INSTANCE_CLASS.test(instanceClass)) {
    problems.push(
      `dbInstanceClass: "${instanceClass}" is not allowed; Aurora global databases need a memory-optimized class such as db.r6g.large, db.r7g.xlarge or db.r8g.2xlarge (db.t* is not supported)`,
    );
  }

  const minAcu = acu("dbMinAcu", raw.dbMinAcu ?? String(d.dbMinAcu), problems);
  const maxAcu = acu("dbMaxAcu", raw.dbMaxAcu ?? String(d.dbMaxAcu), problems);
  if (minAcu !== undefined && maxAcu !== undefined && maxAcu < minAcu) {
    problems.push(
      `dbMaxAcu: "${maxAcu}" is below dbMinAcu "${minAcu}"; the maximum must be at least the minimum`,
    );
  }

  const primaryInstances =
    wholeNumber(
      "primaryDbInstances",
      raw.primaryDbInstances ?? String(d.primaryDbInstances),
      1,
      MAX_PRIMARY_DB_INSTANCES,
      " (the writer plus up to 14 readers: a global database's primary cluster may have 15 - s readers, s = secondary regions, here 1)",
      problems,
    ) ?? d.primaryDbInstances;
  const drInstances =
    wholeNumber(
      "drDbInstances",
      raw.drDbInstances ?? String(d.drDbInstances),
      0,
      MAX_DR_DB_INSTANCES,
      " (0 is a headless pilot-light secondary; at most the primary's limit, since a failover makes it the primary)",
      problems,
    ) ?? d.drDbInstances;

  const rpoSeconds = parseRpo(raw.dbRpoSeconds ?? String(d.dbRpoSeconds), problems);

  const backupRetentionDays =
    wholeNumber(
      "dbBackupRetentionDays",
      raw.dbBackupRetentionDays ?? String(d.dbBackupRetentionDays),
      1,
      MAX_DB_BACKUP_RETENTION_DAYS,
      " (Aurora's automated backup limit)",
      problems,
    ) ?? d.dbBackupRetentionDays;
  const secretRotationDays =
    wholeNumber(
      "dbSecretRotationDays",
      raw.dbSecretRotationDays ?? String(d.dbSecretRotationDays),
      1,
      MAX_SECRET_ROTATION_DAYS,
      " (days between rotations of the master secret)",
      problems,
    ) ?? d.dbSecretRotationDays;
  const dailyRetentionDays =
    wholeNumber(
      "backupDailyRetentionDays",
      raw.backupDailyRetentionDays ?? String(d.backupDailyRetentionDays),
      1,
      MAX_DAILY_RETENTION_DAYS,
      "",
      problems,
    ) ?? d.backupDailyRetentionDays;
  const hourlyRetentionDays =
    wholeNumber(
      "backupHourlyRetentionDays",
      raw.backupHourlyRetentionDays ?? String(d.backupHourlyRetentionDays),
      0,
      MAX_HOURLY_RETENTION_DAYS,
      " (0 turns hourly backups off)",
      problems,
    ) ?? d.backupHourlyRetentionDays;

  const txlogsLockMode = oneOf(
    "txlogsLockMode",
    raw.txlogsLockMode ?? d.txlogsLockMode,
    TXLOGS_LOCK_MODES,
    problems,
  );
  const txlogsRetentionDays =
    wholeNumber(
      "txlogsRetentionDays",
      raw.txlogsRetentionDays ?? String(d.txlogsRetentionDays),
      1,
      MAX_TXLOGS_RETENTION_DAYS,
      " (S3 Object Lock default retention of the txlogs buckets, production mode only)",
      problems,
    ) ?? d.txlogsRetentionDays;
  const vaultLockMode = oneOf(
    "vaultLockMode",
    raw.vaultLockMode ?? d.vaultLockMode,
    VAULT_LOCK_MODES,
    problems,
  );
  const coolingOffDays =
    wholeNumber(
      "vaultLockCoolingOffDays",
      raw.vaultLockCoolingOffDays ?? String(d.vaultLockCoolingOffDays),
      MIN_VAULT_LOCK_COOLING_OFF_DAYS,
      MAX_VAULT_LOCK_COOLING_OFF_DAYS,
      " (AWS Backup enforces a 72-hour cooling-off before a compliance-mode vault lock becomes immutable)",
      problems,
    ) ?? d.vaultLockCoolingOffDays;

  return {
    locks: {
      txlogs: { mode: txlogsLockMode, retentionDays: txlogsRetentionDays },
      vault: {
        mode: vaultLockMode,
        coolingOffDays,
        minRetentionDays:
          hourlyRetentionDays > 0
            ? Math.min(hourlyRetentionDays, dailyRetentionDays)
            : dailyRetentionDays,
      },
    },
    database: {
      capacity,
      instanceClass,
      minAcu: minAcu ?? d.dbMinAcu,
      maxAcu: maxAcu ?? d.dbMaxAcu,
      primaryInstances,
      drInstances,
      rpoSeconds,
      backupRetentionDays,
      secretRotationDays,
    },
    backup: { dailyRetentionDays, hourlyRetentionDays },
  };
}
