/**
 * The GitHub workflows, checked offline: GitHub's own parser accepts every file, and the
 * pipeline keeps its hygiene rules (pinned actions, per-job least privilege, OIDC only,
 * environments and per-stack concurrency on everything that changes a stack, an ephemeral
 * stack that is always destroyed). README "Deploy from CI".
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { outputLines } from "../../../tools/ci/pr-stack";
import { prStack } from "../../../tools/ci/pr-stack-suffix";
import {
  type Job,
  type Workflow,
  REPO_ROOT,
  WORKFLOW_DIR,
  concurrencyOf,
  environmentName,
  loadWorkflow,
  npmScriptsCalled,
  permissionsOf,
  usesLines,
  workflowFiles,
} from "./support/workflow-model";
import type { WorkflowReport } from "./support/validate-workflows";

const files = workflowFiles();
const workflows = files.map(loadWorkflow);
const allJobs = workflows.flatMap((workflow) => workflow.jobs.map((job) => ({ workflow, job })));
const byFile = (file: string): Workflow => {
  const found = workflows.find((workflow) => workflow.file === file);
  if (found === undefined) throw new Error(`.github/workflows/${file} is missing`);
  return found;
};
const jobOf = (file: string, id: string): Job => {
  const found = byFile(file).jobs.find((job) => job.id === id);
  if (found === undefined) throw new Error(`${file} has no job ${id}`);
  return found;
};
const runText = (job: Job): string => job.steps.map((step) => step.run ?? "").join("\n");
const stepIndex = (job: Job, pattern: RegExp): number =>
  job.steps.findIndex((step) => pattern.test(step.run ?? ""));

const AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials";
/** Jobs whose steps change a stack: they need an approval environment and the stack's queue. */
const CHANGES_A_STACK =
  /\bpulumi\s+(?:up|destroy|stack\s+rm)\b|\bnpm run dr -- (?:switchover|failover|failback)\b/;

describe("every workflow file", () => {
  it("exists: pull request, main-branch deploy (and its per-stack workflow), DR", () => {
    expect(files).toEqual(["deploy-stack.yml", "deploy.yml", "dr.yml", "pull-request.yml"]);
  });

  it("is accepted by GitHub's workflow parser (syntax, schema, expressions, reusable calls)", () => {
    const script = path.join(__dirname, "support", "validate-workflows.ts");
    const result = spawnSync(
      process.execPath,
      [require.resolve("tsx/cli"), script, ...files.map((file) => path.join(WORKFLOW_DIR, file))],
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const reports = JSON.parse(result.stdout) as WorkflowReport[];
    expect(reports.map((report) => report.file)).toEqual(
      files.map((file) => `.github/workflows/${file}`),
    );
    expect(reports.filter((report) => report.errors.length > 0)).toEqual([]);
  });

  it("and the parser really rejects a broken one (the check above is not vacuous)", () => {
    const script = path.join(__dirname, "support", "validate-workflows.ts");
    const broken = path.join(__dirname, "support", "broken-workflow.yml.txt");
    const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), script, broken], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    const [report] = JSON.parse(result.stdout) as WorkflowReport[];
    expect(report.errors).toEqual([
      expect.stringContaining("Unexpected value 'timeout-minute'"),
      expect.stringContaining("The expression is not closed"),
    ]);
  });
});

describe.each(files)("%s", (file) => {
  const workflow = byFile(file);

  it("grants nothing at the top (permissions: {}), so each job must ask", () => {
    expect(workflow.permissions).toEqual({});
  });

  it.each(workflow.jobs.map((job) => [job.id, job] as const))(
    "job %s declares least-privilege permissions",
    (_id, job) => {
      const permissions = permissionsOf(job);
      expect(typeof permissions).toBe("object");
      const granted = permissions as Record<string, string>;
      // Only these two scopes are ever needed: reading the repository, and an OIDC token.
      for (const [scope, level] of Object.entries(granted)) {
        expect([`${scope}: ${level}`]).toEqual([
          expect.stringMatching(/^(contents: read|id-token: write)$/),
        ]);
      }
      expect(granted.contents).toBe("read");
      const assumesRole = job.steps.some((step) => step.uses?.startsWith(AWS_CREDENTIALS_ACTION));
      const callsWorkflow = job.uses !== undefined;
      // id-token: write exactly where a role is assumed (here or in the called workflow).
      expect(granted["id-token"] === "write").toBe(assumesRole || callsWorkflow);
    },
  );

  it("pins every action to a full commit SHA, with its release tag in a comment", () => {
    const lines = usesLines(workflow.text);
    const modelled = workflow.jobs.flatMap((job) => [
      ...(job.uses === undefined ? [] : [job.uses]),
      ...job.steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses])),
    ]);
    expect(lines.map((line) => line.value)).toEqual(modelled);
    for (const { value, comment, line } of lines) {
      if (value.startsWith("./")) {
        expect(existsSync(path.join(REPO_ROOT, value))).toBe(true);
        continue;
      }
      // The line number leads, so a failure names the line.
      expect(`${line}: ${value}`).toMatch(/^\d+: [A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/);
      expect(`${line}: ${comment}`).toMatch(/^\d+: # v\d+\.\d+\.\d+$/);
    }
  });

  it("calls only npm scripts that package.json defines", () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const called = workflow.jobs.flatMap((job) => npmScriptsCalled(runText(job)));
    expect(called.filter((name) => scripts[name] === undefined)).toEqual([]);
  });

  it("runs only repository files that exist (npx tsx <file>, --policy-pack <dir>, stack files)", () => {
    const text = workflow.jobs.map(runText).join("\n");
    for (const [, file] of text.matchAll(/\bnpx tsx (\S+)/g)) {
      expect(existsSync(path.join(REPO_ROOT, file))).toBe(true);
    }
    for (const [, dir] of text.matchAll(/--policy-pack ([\w./-]+)/g)) {
      expect(existsSync(path.join(REPO_ROOT, dir, "PulumiPolicy.yaml"))).toBe(true);
    }
    for (const [, file] of workflow.text.matchAll(/'(examples\/[^']+\.yaml)'/g)) {
      expect(existsSync(path.join(REPO_ROOT, file))).toBe(true);
    }
  });

  it("uses OIDC role assumption only: no long-lived AWS keys anywhere", () => {
    expect(workflow.text).not.toMatch(
      /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key|AWS_SESSION_TOKEN/i,
    );
    for (const job of workflow.jobs) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith(AWS_CREDENTIALS_ACTION))) {
        expect(Object.keys(step.with ?? {}).sort()).toEqual(
          expect.arrayContaining(["aws-region", "role-to-assume"]),
        );
        expect(step.with?.["role-to-assume"]).toBe("${{ vars.AWS_ROLE_ARN }}");
        // The bootstrap's roles trust environments only: a job that assumes one is bound to one.
        expect(environmentName(job)).toEqual(expect.any(String));
      }
    }
  });

  it("logs in to the configured backend before its first Pulumi command, in every job that has one", () => {
    for (const job of workflow.jobs) {
      const first = job.steps.find((step) => /\bpulumi\s|npm run dr\b/.test(step.run ?? ""));
      if (first === undefined) continue;
      // The first line that runs pulumi or the DR CLI is the login (after any guard lines).
      const lines = (first.run ?? "")
        .split("\n")
        .filter((line) => /\bpulumi\s|npm run dr\b/.test(line));
      expect([job.id, lines[0].trim()]).toEqual([
        job.id,
        'pulumi login ${BACKEND_URL:+"$BACKEND_URL"}',
      ]);
    }
    // The backend comes from the repository variable, through the login only.
    expect(workflow.text).not.toMatch(/^\s*PULUMI_BACKEND_URL:/m);
  });

  it("checks out without persisting the token in .git/config", () => {
    for (const job of workflow.jobs) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
        expect(step.with?.["persist-credentials"]).toBe(false);
      }
    }
  });

  it("hands the Pulumi Cloud token only to the steps that run pulumi", () => {
    expect(workflow.text.match(/PULUMI_ACCESS_TOKEN: \$\{\{ secrets\./g)?.length ?? 0).toBe(
      workflow.jobs.reduce(
        (count, job) =>
          count +
          (job.uses !== undefined ? 1 : 0) +
          job.steps.filter((step) => step.env?.PULUMI_ACCESS_TOKEN !== undefined).length,
        0,
      ),
    );
    for (const job of workflow.jobs) {
      for (const step of job.steps.filter((s) => s.env?.PULUMI_ACCESS_TOKEN !== undefined)) {
        expect(step.run).toMatch(/\bpulumi\b|npm run dr\b/);
      }
    }
  });
});

describe("jobs that change a stack", () => {
  const changing = allJobs.filter(({ job }) => CHANGES_A_STACK.test(runText(job)));

  it("are the deploy, the ephemeral stack and the DR switchover", () => {
    expect(changing.map(({ workflow, job }) => `${workflow.file}:${job.id}`).sort()).toEqual([
      "deploy-stack.yml:deploy",
      "dr.yml:switchover",
      "pull-request.yml:ephemeral",
    ]);
  });

  it.each(changing.map(({ workflow, job }) => [`${workflow.file}:${job.id}`, job] as const))(
    "%s is bound to an environment and queues per stack, never cancelling a run",
    (_name, job) => {
      expect(environmentName(job)).toEqual(expect.any(String));
      const concurrency = concurrencyOf(job);
      expect(concurrency?.group).toMatch(/^pulumi-stack-.*\$\{\{ .+ \}\}$/);
      expect(concurrency?.cancelInProgress).toBe(false);
    },
  );

  it("share one group per stack name: a deploy and a switchover of the same stack queue", () => {
    const deploy = concurrencyOf(jobOf("deploy-stack.yml", "deploy"));
    const switchover = concurrencyOf(jobOf("dr.yml", "switchover"));
    expect(deploy?.group).toBe("pulumi-stack-${{ inputs.stack }}");
    expect(switchover?.group).toBe(deploy?.group);
  });
});

describe("main branch: deploys in order", () => {
  const deploy = byFile("deploy.yml");

  it("runs on pushes to main only", () => {
    expect(deploy.on).toEqual({ push: { branches: ["main"] } });
  });

  it("tests, then deploys staging, then production, each in its own environment", () => {
    expect(
      jobOf("deploy.yml", "checks")
        .steps.map((step) => step.run)
        .filter(Boolean),
    ).toEqual(["npm ci --no-audit --no-fund", "npm test"]);
    const staging = jobOf("deploy.yml", "staging");
    const production = jobOf("deploy.yml", "production");
    expect(staging.needs).toEqual(["checks"]);
    expect(production.needs).toEqual(["staging"]);
    for (const [job, stack] of [
      [staging, "staging"],
      [production, "production"],
    ] as const) {
      expect(job.uses).toBe("./.github/workflows/deploy-stack.yml");
      expect(job.with).toEqual({ stack, environment: stack });
    }
  });

  it("previews with the policy pack, deploys, writes the outputs, then runs the integration tests", () => {
    const job = jobOf("deploy-stack.yml", "deploy");
    expect(environmentName(job)).toBe("${{ inputs.environment }}");
    const preview = stepIndex(job, /pulumi preview --stack "\$STACK" --diff --policy-pack policy/);
    const up = stepIndex(job, /pulumi up --stack "\$STACK" --yes --policy-pack policy/);
    const outputs = stepIndex(
      job,
      /pulumi stack output --stack "\$STACK" --json > cfn-outputs\/flat-outputs\.json/,
    );
    const tests = stepIndex(job, /^npm run test:integration$/);
    expect([preview, up, outputs, tests].every((index) => index >= 0)).toBe(true);
    expect([preview, up, outputs, tests]).toEqual(
      [...[preview, up, outputs, tests]].sort((a, b) => a - b),
    );
  });
});

describe("pull requests", () => {
  it("test, plan the target stack offline, and preview it with the policy pack into the job summary", () => {
    const checks = runText(jobOf("pull-request.yml", "checks"));
    expect(checks).toMatch(/^npm ci/m);
    expect(checks).toMatch(/^npm test$/m);
    expect(checks).toMatch(/npm run plan -- --stack "\$TARGET_STACK"/);
    const preview = jobOf("pull-request.yml", "preview");
    expect(preview.needs).toEqual(["checks"]);
    expect(runText(preview)).toMatch(
      /pulumi preview --stack "\$TARGET_STACK" --diff --policy-pack policy/,
    );
    expect(runText(preview)).toMatch(/>> "\$GITHUB_STEP_SUMMARY"/);
    // The preview's role is the read role: its environment is the stack's read-only one.
    expect(environmentName(preview)).toBe("${{ vars.PREVIEW_STACK || 'staging' }}-read");
  });

  it("skip the AWS jobs for fork PRs, which get no OIDC token", () => {
    for (const id of ["preview", "ephemeral"]) {
      expect(jobOf("pull-request.yml", id).if).toContain(
        "github.event.pull_request.head.repo.full_name == github.repository",
      );
    }
  });

  describe("the ephemeral stack", () => {
    const job = jobOf("pull-request.yml", "ephemeral");

    it("runs only with the ephemeral-stack label, after the checks", () => {
      expect(job.if).toContain(
        "contains(github.event.pull_request.labels.*.name, 'ephemeral-stack')",
      );
      expect(job.needs).toEqual(["checks"]);
    });

    it("takes its names from tools/ci/pr-stack.ts, fed the PR number", () => {
      const names = job.steps.find((step) => step.id === "names");
      expect(names?.run).toBe('npx tsx tools/ci/pr-stack.ts "$PR_NUMBER" >> "$GITHUB_OUTPUT"');
      expect(names?.env).toEqual({ PR_NUMBER: "${{ github.event.pull_request.number }}" });
      const init = job.steps.find((step) => /pulumi stack init/.test(step.run ?? ""));
      expect(init?.env?.STACK).toBe("${{ steps.names.outputs.stack }}");
      expect(init?.env?.SUFFIX).toBe("${{ steps.names.outputs.environment-suffix }}");
      expect(init?.run).toMatch(/pulumi config set --stack "\$STACK" environmentSuffix "\$SUFFIX"/);
      expect(init?.run).toMatch(/pulumi config set --stack "\$STACK" mode test/);
    });

    it("queues under the same stack name the CLI derives, for any PR number", () => {
      const group = concurrencyOf(job)?.group ?? "";
      for (const n of [1, 42, 9_999_999]) {
        const resolved = group.replace("${{ github.event.pull_request.number }}", String(n));
        expect(resolved).toBe(`pulumi-stack-${prStack(n).stack}`);
      }
    });

    it("the CLI the workflow runs prints the function's names as GITHUB_OUTPUT lines", () => {
      const result = spawnSync(
        process.execPath,
        [require.resolve("tsx/cli"), path.join(REPO_ROOT, "tools/ci/pr-stack.ts"), "9999999"],
        { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 },
      );
      expect(result.stdout).toBe(outputLines(["9999999"]));
      expect(result.stdout).toBe("stack=pr-9999999\nenvironment-suffix=pr-9999999\n");
      const refused = spawnSync(
        process.execPath,
        [require.resolve("tsx/cli"), path.join(REPO_ROOT, "tools/ci/pr-stack.ts"), "0"],
        { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 },
      );
      expect(refused.status).toBe(2);
      expect(refused.stdout).toBe("");
    });

    it("deploys, writes the outputs file, runs the integration tests, then always destroys and removes the stack", () => {
      const up = stepIndex(job, /pulumi up --stack "\$STACK" --yes/);
      const outputs = stepIndex(
        job,
        /pulumi stack output --stack "\$STACK" --json > cfn-outputs\/flat-outputs\.json/,
      );
      const tests = stepIndex(job, /^npm run test:integration$/);
      const destroy = stepIndex(job, /pulumi destroy --stack "\$STACK" --yes/);
      expect([up, outputs, tests, destroy].every((index) => index >= 0)).toBe(true);
      expect(up < outputs && outputs < tests && tests < destroy).toBe(true);
      const teardown = job.steps[destroy];
      expect(teardown.if).toBe("always()");
      expect(teardown.run).toMatch(/pulumi destroy[^\n]*\n\s*pulumi stack rm "\$STACK" --yes/);
      // Fresh credentials first (also always()): the first session may be spent by then.
      const refresh = job.steps[destroy - 1];
      expect(refresh.uses).toMatch(/^aws-actions\/configure-aws-credentials@/);
      expect(refresh.if).toBe("always()");
    });
  });
});

describe("the DR workflow", () => {
  const dr = byFile("dr.yml");

  it("is dispatched by hand with a stack and the command status or switchover", () => {
    const on = dr.on as { workflow_dispatch: { inputs: Record<string, { options?: string[] }> } };
    expect(Object.keys(on)).toEqual(["workflow_dispatch"]);
    expect(on.workflow_dispatch.inputs.command.options).toEqual(["status", "switchover"]);
    expect(on.workflow_dispatch.inputs.stack.options).toEqual(["staging", "production"]);
  });

  it("runs status in the read-only environment, without approval", () => {
    const status = jobOf("dr.yml", "status");
    expect(status.if).toBe("inputs.command == 'status'");
    expect(environmentName(status)).toBe("${{ inputs.stack }}-read");
    expect(runText(status)).toMatch(/npm run dr -- status --stack "\$STACK"/);
    expect(runText(status)).not.toMatch(/switchover|failover|failback/);
  });

  it("runs switchover in the stack's deploy environment, whose reviewers approve it", () => {
    const switchover = jobOf("dr.yml", "switchover");
    expect(switchover.if).toBe("inputs.command == 'switchover'");
    expect(environmentName(switchover)).toBe("${{ inputs.stack }}");
    expect(runText(switchover)).toMatch(/npm run dr -- switchover --stack "\$STACK" --yes/);
  });
});
