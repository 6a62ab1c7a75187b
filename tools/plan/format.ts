/** The plan as text for a terminal; `--json` prints the Plan object itself. */
import { DEPLOYABILITY_CHECKS } from "../graph/deployability";
import type { CostEstimate } from "./cost";
import type { Plan } from "./plan";
import type { ComponentNode, PlannedOutput } from "./resources";

export interface FormatOptions {
  /** Levels of the component tree to print (the JSON has all of it). @default 3 */
  readonly treeDepth?: number;
}

const usd = (value: number): string =>
  `${value < 0 ? "-" : ""}$${Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const table = (
  rows: string[][],
  rightAligned: (column: number) => boolean = () => false,
): string[] => {
  const widths = rows[0].map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) =>
        rightAligned(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd(),
  );
};

const indent = (lines: string[], by = "  "): string[] => lines.map((line) => `${by}${line}`);

const perRegion = (counts: Readonly<Record<string, number>>, regions: string[]): string =>
  regions
    .filter((region) => counts[region] !== undefined)
    .map((region) => `${region} ${counts[region]}`)
    .join(", ");

function treeLines(
  nodes: ComponentNode[],
  regions: string[],
  depth: number,
  prefix = "",
): string[] {
  return nodes.flatMap((node, i) => {
    const last = i === nodes.length - 1;
    const line = `${prefix}${prefix === "" && depth > 0 ? "" : last ? "└─ " : "├─ "}`;
    const head = `${line}${node.name} (${node.type})  ${node.resources}${node.resources > 0 ? ` [${perRegion(node.byRegion, regions)}]` : ""}`;
    if (depth <= 1 || node.children.length === 0) {
      return [
        head + (node.children.length > 0 ? `  +${countComponents(node.children)} components` : ""),
      ];
    }
    const childPrefix = prefix === "" ? "  " : `${prefix}${last ? "   " : "│  "}`;
    return [head, ...treeLines(node.children, regions, depth - 1, childPrefix)];
  });
}

const countComponents = (nodes: ComponentNode[]): number =>
  nodes.reduce((sum, node) => sum + 1 + countComponents(node.children), 0);

function outputValue(output: PlannedOutput): string {
  if (output.kind === "computed") return "(known after deploy)";
  if (output.kind === "absent") return "(not exported with this config)";
  const value = output.value;
  const text = Array.isArray(value)
    ? `[${value.length}] ${value.map((v) => String(v)).join(", ")}`
    : typeof value === "string"
      ? value
      : JSON.stringify(value);
  const short = text.length > 90 ? `${text.slice(0, 87)}...` : text;
  return output.kind === "lookup" ? `${short}  (looked up at deploy; mock value)` : short;
}

function resourcesSection(plan: Plan, options: FormatOptions): string[] {
  const { resources } = plan;
  const regions = orderedRegions(plan, Object.keys(resources.byRegion));
  const typeRows = [...new Set(resources.byTypeAndRegion.map((row) => row.type))].map((type) => [
    type,
    ...regions.map((region) =>
      String(
        resources.byTypeAndRegion.find((row) => row.type === type && row.region === region)
          ?.count ?? "",
      ),
    ),
  ]);
  const counts = plan.outputs.reduce<Record<string, number>>((acc, o) => {
    acc[o.kind] = (acc[o.kind] ?? 0) + 1;
    return acc;
  }, {});
  return [
    "1. Resources",
    `  ${resources.total} to register: ${resources.aws} AWS resources [${perRegion(resources.byRegion, regions)}], ${resources.providers} providers, ${resources.components} components, ${resources.other} other (no region)`,
    "",
    "  Component tree (AWS resources below each component, per region):",
    ...indent(treeLines(resources.tree, regions, options.treeDepth ?? 3), "  "),
    "",
    "  AWS resources by type and region:",
    ...indent(
      table([["type", ...regions], ...typeRows], (column) => column > 0),
      "    ",
    ),
    "",
    `  Stack outputs (${plan.outputs.length}): ${counts.config ?? 0} known from config, ${counts.lookup ?? 0} looked up in your account at deploy, ${counts.computed ?? 0} known after deploy, ${counts.absent ?? 0} not exported`,
    ...indent(table(plan.outputs.map((output) => [output.name, outputValue(output)])), "    "),
  ];
}

function guardrailsSection(plan: Plan): string[] {
  const { evaluation } = plan.guardrails;
  const mandatory = evaluation.violations.filter((v) => v.enforcement === "mandatory");
  const advisory = evaluation.violations.filter((v) => v.enforcement === "advisory");
  const violation = (v: (typeof evaluation.violations)[number]) =>
    `${v.enforcement === "mandatory" ? "FAIL" : "warn"} ${v.ruleId} [${v.severity}; ${v.baseline}] ${v.name} (${v.region || "no region"}): ${v.message}`;
  const { findings, checks, uncheckedNameTypes } = plan.deployability;
  return [
    "2. Guardrails",
    `  Policy pack (policy/): ${mandatory.length} mandatory violations, ${advisory.length} advisory, ${evaluation.waived.length} waived`,
    ...indent(mandatory.map(violation), "    "),
    ...indent(advisory.map(violation), "    "),
    ...(evaluation.waived.length > 0 ? ["  Waivers (rule, resource, source: reason):"] : []),
    ...indent(
      evaluation.waived.map((w) => `${w.ruleId} ${w.name} (${w.source}): ${w.reason}`),
      "    ",
    ),
    ...indent(
      evaluation.waiverProblems.map(
        (p) => `${p.kind === "unknown-rule" ? "FAIL" : "warn"} ${p.message}`,
      ),
      "    ",
    ),
    `  AWS constraints on this config (${checks.length} checks): ${findings.length === 0 ? "all pass" : `${findings.length} would be rejected`}`,
    ...indent(
      checks.map(
        (check) =>
          `${check.findings === 0 ? "ok  " : "FAIL"} ${check.id}: ${DEPLOYABILITY_CHECKS[check.id]}`,
      ),
      "    ",
    ),
    ...indent(
      findings.map(
        (f) => `FAIL ${f.check} ${f.resource}${f.region ? ` (${f.region})` : ""}: ${f.message}`,
      ),
      "    ",
    ),
    ...(uncheckedNameTypes.length > 0
      ? [
          `    note: no AWS name rule for ${uncheckedNameTypes.join(", ")}; their names are not checked`,
        ]
      : []),
  ];
}

function budgetSection(plan: Plan): string[] {
  const b = plan.drBudget;
  const { rpo } = b;
  return [
    "3. DR budget (from config)",
    `  Failover mode ${b.failoverMode}, corroboration window ${b.failoverWindowMinutes} min`,
    `  Traffic (${b.traffic.routingPolicy} routing): ${b.traffic.explanation}`,
    ...b.tiers.map(
      (tier) =>
        `  ${tier.tier}${tier.current ? " (this stack)" : ` (drDbInstances ${tier.drDbInstances})`}: ${tier.explanation}`,
    ),
    `    promotion: ${b.promotionSource}`,
    `  RPO, Aurora: ${rpo.aurora.explanation}`,
    `  RPO, DynamoDB: ${rpo.dynamodb}`,
    `  RPO, S3: ${rpo.s3ReplicationMinutes === undefined ? "no replication" : `Replication Time Control replicates 99.99 % of objects within ${rpo.s3ReplicationMinutes} min`}`,
    `  Backup RPO: newest recovery point at most ${rpo.backup.inRegionHours ?? "-"} h old in ${plan.regions.primary}, ${rpo.backup.crossRegionHours ?? "-"} h in ${plan.regions.dr} (interval + start window)`,
    `    ${rpo.backup.explanation}`,
  ];
}

function orderedRegions(plan: Plan, regions: string[]): string[] {
  const first = [plan.regions.primary, plan.regions.dr];
  return [
    ...first.filter((r) => regions.includes(r)),
    ...regions.filter((r) => !first.includes(r)).sort(),
  ];
}

function costTable(plan: Plan, estimate: CostEstimate): string[] {
  const regions = orderedRegions(plan, Object.keys(estimate.byRegion));
  const services = Object.keys(estimate.byService).sort(
    (a, b) => estimate.byService[b] - estimate.byService[a],
  );
  const cell = (service: string, region: string) => {
    const sum = estimate.lines
      .filter((line) => line.service === service && line.region === region)
      .reduce((s, line) => s + line.monthlyUsd, 0);
    return sum === 0 ? "" : usd(sum);
  };
  const approximate = (region: string) =>
    estimate.lines.some((line) => line.region === region && line.approximate) ? " ≈" : "";
  return table(
    [
      ["service", ...regions.map((r) => `${r}${approximate(r)}`), "total"],
      ...services.map((s) => [s, ...regions.map((r) => cell(s, r)), usd(estimate.byService[s])]),
      ["total", ...regions.map((r) => usd(estimate.byRegion[r])), usd(estimate.totalUsd)],
    ],
    (column) => column > 0,
  );
}

function costSection(plan: Plan): string[] {
  const { estimate, tiers } = plan.cost;
  const a = estimate.assumptions;
  const used = [...new Set(estimate.lines.map((line) => line.price.key))];
  const sources = used.map((key) => {
    const line = estimate.lines.find((l) => l.price.key === key)!;
    const p = line.price;
    return `$${line.unitUsd} per ${p.unit}: ${p.source}${p.sourceDate ? `, ${p.sourceDate}` : ""} (read ${p.read})`;
  });
  const other = plan.tier === "warm-standby" ? "pilot light" : "warm standby";
  return [
    `4. Monthly cost estimate (${estimate.hoursPerMonth} h month; "≈": us-east-1 prices applied to another region)`,
    `  Assumptions (flags): --requests-per-month ${a.requestsPerMonth}${a.requestsPerMonth === 0 ? " (idle)" : ""}, --lambda-ms ${a.lambdaDurationMs}, --aurora-acu ${a.auroraAverageAcu ?? "(each cluster's minimum)"}, --aurora-storage-gb ${a.auroraStorageGb}, --aurora-ios-per-request ${a.auroraIosPerRequest}, --logs-gb ${a.logsGbPerRegion} per region, --backup-gb ${a.backupGb}, ${a.freeTier ? "free tier counted (--no-free-tier to drop it)" : "--no-free-tier"}`,
    ...indent(costTable(plan, estimate), "    "),
    ...estimate.unpriced.map(
      (u) => `  unpriced: ${u.service} ${u.item} (${u.region}): ${u.reason}`,
    ),
    "",
    `  Warm standby vs pilot light (${other} = this config with ${Object.entries(
      plan.cost.otherTierConfig,
    )
      .map(([k, v]) => `${k.replace(/^[^:]+:/, "")}=${v}`)
      .join(", ")}):`,
    `    warm standby ${usd(tiers.warmStandbyUsd)}, pilot light ${usd(tiers.pilotLightUsd)}: warm standby costs ${usd(tiers.differenceUsd)} more a month`,
    ...indent(
      tiers.lines.map(
        (l) =>
          `${l.service}, ${l.item} (${l.region}): ${usd(l.warmStandbyUsd)} vs ${usd(l.pilotLightUsd)}`,
      ),
      "      ",
    ),
    ...tiers.unpricedDifferences.map((item) => `      not in the difference (unpriced): ${item}`),
    "",
    "  Prices (tools/plan/prices.ts):",
    ...indent(sources, "    "),
    ...estimate.notes.map((note) => `  note: ${note}`),
  ];
}

export function formatPlan(plan: Plan, options: FormatOptions = {}): string {
  const header = [
    `tap-dr plan: stack "${plan.stack}" (${plan.stackFile || "no stack file"}; Pulumi.yaml defaults for ${plan.defaultedKeys.length} keys)`,
    `mode ${plan.mode}; primary ${plan.regions.primary}, DR ${plan.regions.dr}; DR tier ${plan.tier}`,
    `Offline: the real program under the mock engine; ids, ARNs and endpoints are AWS's to assign at deploy.`,
  ];
  const verdict =
    plan.exitCode === 0
      ? "Result: no mandatory violation; next, `pulumi preview --policy-pack policy`."
      : `Result: ${plan.guardrails.failures} mandatory guardrail failures, ${plan.deployability.findings.length} AWS constraint failures; fix or waive them before \`pulumi up\`.`;
  return [
    ...header,
    "",
    ...resourcesSection(plan, options),
    "",
    ...guardrailsSection(plan),
    "",
    ...budgetSection(plan),
    "",
    ...costSection(plan),
    "",
    verdict,
  ].join("\n");
}
