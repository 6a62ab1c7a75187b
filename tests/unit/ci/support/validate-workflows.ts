/**
 * `tsx tests/unit/ci/support/validate-workflows.ts <workflow file>...`: parses each workflow with
 * GitHub's own parser (@actions/workflow-parser, the one behind the Actions VS Code extension)
 * and prints `[{ file, errors }]` as JSON. Schema errors (unknown keys, wrong types, bad
 * expressions) come from the parse; reusable-workflow calls to local files are loaded and
 * checked against the called workflow's inputs and secrets in the conversion.
 *
 * A separate process because the parser is ESM-only and imports its schema JSON without an
 * import attribute: jest's CommonJS runtime cannot load it, and plain node refuses the JSON
 * import; tsx loads both.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";

export interface WorkflowReport {
  readonly file: string;
  readonly errors: string[];
}

type Parser = typeof import("@actions/workflow-parser");

/** Local reusable workflows (`uses: ./.github/workflows/x.yml`), read from the repository. */
function localFileProvider(root: string) {
  return {
    async getFileContent(ref: { path: string; repository?: string }) {
      if ("repository" in ref && ref.repository !== undefined) {
        throw new Error(`remote reusable workflow ${ref.path} is not read offline`);
      }
      const file = path.join(root, ref.path);
      return { name: ref.path, content: await readFile(file, "utf8") };
    },
  };
}

export async function validateWorkflows(
  files: readonly string[],
  root: string,
): Promise<WorkflowReport[]> {
  const parser: Parser = await import("@actions/workflow-parser");
  const reports: WorkflowReport[] = [];
  for (const file of files) {
    const name = path.relative(root, file);
    const content = await readFile(file, "utf8");
    const parsed = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((error) => error.message);
    if (errors.length === 0 && parsed.value !== undefined) {
      const template = await parser.convertWorkflowTemplate(
        parsed.context,
        parsed.value,
        localFileProvider(root),
        { fetchReusableWorkflowDepth: 1 },
      );
      errors.push(...(template.errors ?? []).map((error) => error.Message));
    }
    reports.push({ file: name, errors });
  }
  return reports;
}

if (require.main === module) {
  validateWorkflows(process.argv.slice(2), process.cwd()).then(
    (reports) => process.stdout.write(JSON.stringify(reports)),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}
