// The simulated stack runs real handler code (the API core, the orchestrator) in-process; their
// Powertools logs and EMF metrics go to stdout, where they would bury the mutation table. A
// TEST_LOG_LEVEL brings the logs back when a simulated case needs debugging.
process.env.POWERTOOLS_LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "SILENT";
process.env.POWERTOOLS_METRICS_DISABLED = "true";
