/**
 * The corroborating composite alarm's rule, as a pure function. "At least two of N" is written
 * as an OR of pairwise ANDs: that syntax is what every PutCompositeAlarm release accepts (an
 * AT_LEAST function exists only in newer ones), and for three signals it is only three terms.
 */

/** ALARM("name"): quoted, so any character CloudWatch allows in a name is safe in the rule. */
export function alarmState(alarmName: string): string {
  if (alarmName.includes('"')) {
    throw new Error(
      `alarm name ${alarmName} contains a double quote, which a composite rule cannot quote`,
    );
  }
  return `ALARM("${alarmName}")`;
}

/**
 * A rule that is ALARM when at least two of the alarms are: one flapping signal alone never is.
 * Needs at least two names, and distinct ones (a repeated name would corroborate itself).
 */
export function atLeastTwoOf(alarmNames: readonly string[]): string {
  if (alarmNames.length < 2) {
    throw new Error(
      `a corroborating rule needs at least two alarms; got ${alarmNames.length} (${alarmNames.join(", ")})`,
    );
  }
  if (new Set(alarmNames).size !== alarmNames.length) {
    throw new Error(`a corroborating rule needs distinct alarms; got ${alarmNames.join(", ")}`);
  }
  const pairs: string[] = [];
  alarmNames.forEach((first, i) => {
    for (const second of alarmNames.slice(i + 1)) {
      pairs.push(`(${alarmState(first)} AND ${alarmState(second)})`);
    }
  });
  return pairs.join(" OR ");
}
