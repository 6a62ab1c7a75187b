import { CapturedResource } from "./mock-graph";
import { Graph, PolicyStatement, policyOf, str, unsecret } from "./graph";

export const FUNCTION = "aws:lambda/function:Function";
export const TABLE = "aws:dynamodb/table:Table";
export const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
export const RULE = "aws:cloudwatch/eventRule:EventRule";
export const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
export const PERMISSION = "aws:lambda/permission:Permission";
export const QUEUE = "aws:sqs/queue:Queue";
export const INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig";
export const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

/** The two regions of the default test configs, with their role and region code. */
export const REGIONS = [
  { role: "primary", region: "us-east-1", code: "use1", peer: "us-east-2" },
  { role: "dr", region: "us-east-2", code: "use2", peer: "us-east-1" },
] as const;
export type RegionCase = (typeof REGIONS)[number];

/** One region's failover resources in a captured run, found by their physical names. */
export class FailoverView {
  constructor(
    readonly graph: Graph,
    readonly side: RegionCase,
  ) {}

  private named(type: string, name: string): CapturedResource {
    const found = this.graph.ofType(type).filter((r) => r.inputs.name === name);
    if (found.length !== 1) {
      throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    }
    return found[0];
  }

  get orchestrator(): CapturedResource {
    return this.named(FUNCTION, `tap-dev-orchestrator-${this.side.code}`);
  }

  get prober(): CapturedResource {
    return this.named(FUNCTION, `tap-dev-prober-${this.side.code}`);
  }

  get table(): CapturedResource {
    return this.named(TABLE, `tap-dev-failover-control-${this.side.code}`);
  }

  get stateMachine(): CapturedResource {
    return this.named(STATE_MACHINE, `tap-dev-failover-${this.side.code}`);
  }

  get failureQueue(): CapturedResource {
    return this.named(QUEUE, `tap-dev-orchestrator-failures-${this.side.code}`);
  }

  rule(purpose: string): CapturedResource {
    return this.named(RULE, `tap-dev-${purpose}-${this.side.code}`);
  }

  /** The only target of a rule. */
  targetOf(rule: CapturedResource): CapturedResource {
    const targets = this.graph.ofType(TARGET).filter((t) => t.inputs.rule === rule.inputs.name);
    expect(targets).toHaveLength(1);
    return targets[0];
  }

  /** The Lambda permissions whose SourceArn is this rule. */
  permissionsOf(rule: CapturedResource): CapturedResource[] {
    return this.graph
      .ofType(PERMISSION)
      .filter(
        (p) =>
          p.inputs.sourceArn !== undefined && this.graph.byArn(p.inputs.sourceArn).urn === rule.urn,
      );
  }

  /** The cluster of this region. */
  get cluster(): CapturedResource {
    const [cluster] = this.graph
      .ofType("aws:rds/cluster:Cluster")
      .filter((c) => c.region === this.side.region);
    return cluster;
  }
}

/** A function's environment variables, secrets unwrapped. */
export function variablesOf(fn: CapturedResource): Record<string, string> {
  const environment = fn.inputs.environment as { variables: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(environment.variables).map(([key, value]) => [key, String(unsecret(value))]),
  );
}

/** Every statement of the customer-managed policies attached to a function's role. */
export function roleStatements(graph: Graph, roleArn: unknown): PolicyStatement[] {
  const role = graph.byArn(roleArn);
  return graph
    .ofType(ATTACHMENT)
    .filter((attachment) => attachment.inputs.role === role.inputs.name)
    .flatMap((attachment) => policyOf(graph.byArn(attachment.inputs.policyArn)).Statement);
}

/** A JSON string input, parsed. */
export function jsonOf<T>(resource: CapturedResource, field: string): T {
  return JSON.parse(str(resource, field)) as T;
}
