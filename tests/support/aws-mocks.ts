/** The mock engine's fake AWS state lives with the graph capture (tools/graph/aws-mocks.ts). */
export * from "../../tools/graph/aws-mocks";
