/**
 * Bounded polling for live checks: replication, DNS and health checkers settle
 * after `pulumi up` returns, so a live test waits for a state instead of
 * demanding it on the first read. `attempt` returns undefined (or throws) to
 * mean "not yet"; the last error is kept for the failure message.
 */
export async function eventually<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 2_000 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  const cause = last instanceof Error ? `: ${last.message}` : "";
  throw new Error(`${what} did not happen within ${timeoutMs} ms${cause}`);
}
