import type { CapturedResource, ProgramRun } from "../../../tools/graph/capture";
import {
  DeployabilityCheck,
  checkDeployability,
  uncheckedNameTypes,
} from "../../../tools/graph/deployability";
import { runProgram } from "../../support/mock-graph";

// The config most graph suites run, so its capture is usually shared.
const CONFIG = { environmentSuffix: "dev", domainName: "payments.example.com", mode: "test" };
const REGIONS = { primaryRegion: "us-east-1", drRegion: "us-east-2" };

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram(CONFIG);
});

/** The run with one resource (the first matching) replaced. */
function changed(
  match: (resource: CapturedResource) => boolean,
  change: (resource: CapturedResource) => Partial<CapturedResource>,
): ProgramRun {
  const target = run.resources.find(match);
  if (target === undefined) throw new Error("no resource matches");
  return {
    ...run,
    resources: run.resources.map((resource) =>
      resource === target ? { ...resource, ...change(resource) } : resource,
    ),
  };
}

const ofType = (type: string) => (resource: CapturedResource) => resource.type === type;
const checksFailing = (broken: ProgramRun): DeployabilityCheck[] => [
  ...new Set(checkDeployability(broken, REGIONS).findings.map((finding) => finding.check)),
];

describe("deployability checks over the real graph", () => {
  it("pass on the program's own graph, every check run", () => {
    const report = checkDeployability(run, REGIONS);
    expect(report.findings).toEqual([]);
    expect(report.checks.map((check) => check.id)).toEqual([
      "region-placement",
      "name-limits",
      "iam-global-names",
      "key-region",
      "s3-replication-prerequisites",
      "dynamodb-replica-prerequisites",
      "aurora-secondary-order",
      "log-group-key-policy",
    ]);
    expect(report.uncheckedNameTypes).toEqual([]);
  });

  it.each<[DeployabilityCheck, string, () => ProgramRun]>([
    [
      "region-placement",
      "a resource on the ambient provider",
      () => changed(ofType("aws:sqs/queue:Queue"), () => ({ providerUrn: undefined, region: "" })),
    ],
    [
      "region-placement",
      "a DR resource in the primary region",
      () =>
        changed(
          (r) => r.type === "aws:kms/key:Key" && r.region === "us-east-2",
          () => ({ region: "us-east-1" }),
        ),
    ],
    [
      "name-limits",
      "a load balancer name over 32 characters",
      () =>
        changed(ofType("aws:lb/loadBalancer:LoadBalancer"), (r) => ({
          inputs: { ...r.inputs, name: "x".repeat(33) },
        })),
    ],
    [
      "name-limits",
      "an RDS identifier with a double hyphen",
      () =>
        changed(ofType("aws:rds/cluster:Cluster"), (r) => ({
          inputs: { ...r.inputs, clusterIdentifier: "tap--db" },
        })),
    ],
    [
      "iam-global-names",
      "two roles with one name in two regions",
      () => {
        const [first, second] = run.resources.filter(ofType("aws:iam/role:Role"));
        return changed(
          (r) => r === second,
          (r) => ({ inputs: { ...r.inputs, name: first.inputs.name } }),
        );
      },
    ],
    [
      "key-region",
      "a DR replica encrypted with the primary region's key",
      () =>
        changed(
          (r) => r.type === "aws:dynamodb/table:Table" && Array.isArray(r.inputs.replicas),
          (r) => ({
            inputs: {
              ...r.inputs,
              replicas: [
                { regionName: "us-east-2", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" },
              ],
            },
          }),
        ),
    ],
    [
      "s3-replication-prerequisites",
      "replication that does not wait for versioning",
      () =>
        changed(ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig"), () => ({
          dependencies: [],
        })),
    ],
    [
      "dynamodb-replica-prerequisites",
      "a global table without its stream",
      () =>
        changed(
          (r) => r.type === "aws:dynamodb/table:Table" && Array.isArray(r.inputs.replicas),
          (r) => ({ inputs: { ...r.inputs, streamEnabled: false } }),
        ),
    ],
    [
      "aurora-secondary-order",
      "a secondary cluster that does not wait for the primary's writer",
      () =>
        changed(
          (r) => r.type === "aws:rds/cluster:Cluster" && r.region === "us-east-2",
          () => ({ dependencies: [] }),
        ),
    ],
    [
      "log-group-key-policy",
      "an encrypted log group outside the prefixes its key's policy opens to CloudWatch Logs",
      () =>
        changed(
          (r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.kmsKeyId !== undefined,
          (r) => ({ inputs: { ...r.inputs, name: "/elsewhere/group" } }),
        ),
    ],
    [
      "log-group-key-policy",
      "a key whose policy lost its CloudWatch Logs statement",
      () =>
        changed(ofType("aws:kms/key:Key"), (r) => {
          const policy = JSON.parse(String(r.inputs.policy)) as { Statement: { Sid?: string }[] };
          const Statement = policy.Statement.filter(
            (statement) => statement.Sid !== "CloudWatchLogsForStackLogGroups",
          );
          return { inputs: { ...r.inputs, policy: JSON.stringify({ ...policy, Statement }) } };
        }),
    ],
  ])("%s fails on %s", (check, _case, broken) => {
    expect(checksFailing(broken())).toEqual([check]);
  });

  it("names the types whose names no AWS rule checks", () => {
    const resource = {
      ...run.resources.find(ofType("aws:sqs/queue:Queue"))!,
      type: "aws:new/thing:Thing",
    };
    expect(uncheckedNameTypes([resource])).toEqual(["aws:new/thing:Thing"]);
  });
});
