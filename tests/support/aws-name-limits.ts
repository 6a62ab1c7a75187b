/**
 * AWS's name rules live with the deployability checks that `npm run plan` and the graph tests
 * share (tools/graph/aws-name-limits.ts); add a new type's rule there.
 */
export * from "../../tools/graph/aws-name-limits";
