/** An RDS parameter as the parameter-group resources take it. */
export interface DbParameter {
  readonly name: string;
  readonly value: string;
  /** Dynamic parameters apply at once; static ones would need "pending-reboot". */
  readonly applyMethod: "immediate" | "pending-reboot";
}

/** Statements slower than this are logged with their duration. */
export const SLOW_STATEMENT_MS = 1000;

/**
 * The slow-statement threshold, in both groups: the cluster group applies it to every
 * instance, including a reader added later or the DR cluster's instances after a failover;
 * the instance group repeats it, and an instance-level value overrides the cluster's, so both
 * carry the same value.
 */
const SLOW_STATEMENT_LOGGING: DbParameter = {
  name: "log_min_duration_statement",
  value: String(SLOW_STATEMENT_MS),
  applyMethod: "immediate",
};

export interface ClusterParameterOptions {
  /** rds.global_db_rpo in seconds; undefined leaves managed RPO off. */
  readonly rpoSeconds?: number;
}

/**
 * Cluster-level parameters, the same for every member of the global database so
 * a promoted secondary enforces what the primary did.
 */
export function clusterParameters(options: ClusterParameterOptions): DbParameter[] {
  const parameters: DbParameter[] = [
    // Clients must use TLS; plaintext connections are refused.
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    // Schema changes are audit events (PCI DSS 10.2); row data stays out of the logs.
    { name: "log_statement", value: "ddl", applyMethod: "immediate" },
    { name: "log_connections", value: "1", applyMethod: "immediate" },
    { name: "log_disconnections", value: "1", applyMethod: "immediate" },
    SLOW_STATEMENT_LOGGING,
  ];
  if (options.rpoSeconds !== undefined) {
    // The writer blocks commits when no secondary is within this many seconds.
    parameters.push({
      name: "rds.global_db_rpo",
      value: String(options.rpoSeconds),
      applyMethod: "immediate",
    });
  }
  return parameters;
}

/** Instance-level parameters: slow-statement logging, the same value as the cluster group's. */
export function instanceParameters(): DbParameter[] {
  return [SLOW_STATEMENT_LOGGING];
}
