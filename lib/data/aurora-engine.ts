/**
 * One engine version for the global cluster and both member clusters: a
 * switchover needs identical major and minor versions in every region, and
 * Aurora PostgreSQL global databases need 16.1 or later on the 16 line; 16.8 is
 * the long-term-support minor of 16.
 */
export const AURORA_ENGINE = "aurora-postgresql";
export const AURORA_ENGINE_VERSION = "16.8";
/** Parameter-group family of AURORA_ENGINE_VERSION. */
export const AURORA_PARAMETER_GROUP_FAMILY = "aurora-postgresql16";
/** Explicit rather than the engine default, so security groups and clients agree. */
export const AURORA_PORT = 5432;
/** The instance class of Aurora Serverless v2 instances. */
export const SERVERLESS_INSTANCE_CLASS = "db.serverless";
/** Database created in the primary cluster; secondaries inherit it through storage replication. */
export const DATABASE_NAME = "transactions";
/** Master user of the primary cluster; the application gets its own users later. */
export const MASTER_USERNAME = "tap_admin";
/** CloudWatch log types Aurora PostgreSQL exports. */
export const AURORA_LOG_EXPORTS = ["postgresql"] as const;
/** Enhanced monitoring granularity in seconds (AWS allows 1, 5, 10, 15, 30, 60). */
export const ENHANCED_MONITORING_INTERVAL_SECONDS = 60;
/** Performance Insights retention: 7 days is the free tier. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
