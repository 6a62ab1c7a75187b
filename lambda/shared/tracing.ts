/**
 * X-Ray tracing for the Lambda entries only (the local server and the tests never load it).
 * Lambda active tracing records each invocation; this adds a subsegment per invocation with
 * cold-start and service annotations, and subsegments for every AWS SDK call. pg queries are not
 * traced (the X-Ray SDK's pg patcher would pull in more than it tells).
 *
 * Kept because it fits the budget: bundles stay far under 500 KB with it (see the report in
 * lambda/README.md); without active tracing, Tracer disables itself.
 */
import { Tracer } from "@aws-lambda-powertools/tracer";

export const tracer = new Tracer();

/** Runs one invocation inside a `## <name>` subsegment, the manual pattern Powertools documents. */
export async function traced<T>(name: string, run: () => Promise<T>): Promise<T> {
  const segment = tracer.getSegment();
  const subsegment = segment?.addNewSubsegment(`## ${name}`);
  if (subsegment !== undefined) tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    return await run();
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment?.close();
    if (segment !== undefined) tracer.setSegment(segment);
  }
}
