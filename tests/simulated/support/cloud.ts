/**
 * Test-only: the simulated stack's state and the queries and helpers every simulated service
 * (the files in services/) answer from: the captured graph plus service-side state that no input holds.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { TEST_ACCOUNT_ID, fakeArn, physicalNameOf } from "../../support/aws-mocks";
import type { CapturedResource, ProgramRun } from "../../support/mock-graph";

/** Service-side state that is not an input of any resource. */
export interface ServiceState {
  /** VpcPeeringConnectionStateReasonCode, e.g. "active", "pending-acceptance". */
  peeringStatus: string;
  /** RouteState of the peering routes: "active" or "blackhole". */
  peeringRouteState: string;
  /** FlowLog.FlowLogStatus. */
  flowLogStatus: string;
  /** Successive answers for the secret replica (ReplicationStatusType); the last one repeats. */
  secretReplicaStatuses: { Status: string; StatusMessage?: string }[];
  /** ReplicaDescription.ReplicaStatus of the table's replicas. */
  tableReplicaStatus: string;
  /** DescribeSecret calls answered so far (the position in secretReplicaStatuses). */
  secretDescribeCalls: number;
  /** Route 53 health checks (ids) whose endpoint is down: every checker reports Failure. */
  failingHealthChecks: string[];
  /** GetHealthCheckStatus calls answered so far, per health check id. */
  healthCheckCalls: Record<string, number>;
  /** CloudWatch alarm states by alarm name (StateValue); an alarm not listed is "OK". */
  alarmStates: Record<string, string>;
  /**
   * GlobalCluster.FailoverState while a failover or switchover runs (API_FailoverState);
   * undefined when none does.
   */
  globalFailoverState:
    | {
        Status: string;
        FromDbClusterArn?: string;
        ToDbClusterArn?: string;
        IsDataLossAllowed?: boolean;
      }
    | undefined;
  /**
   * Cluster ARNs RDS reports with IsWriter (GlobalClusterMember); undefined: the member created
   * without a sourceRegion, as deployed.
   */
  globalWriterArns: string[] | undefined;
  /** Regions whose API answers no request (the deep health check and everything else). */
  downApiRegions: string[];
  /** Regions whose AWS front door (the prober's region probe) does not answer. */
  downRegions: string[];
  /** DynamoDB items written through the simulated API, by "<region>|<table name>". */
  tableItems: Record<string, Record<string, AttributeValue>[]>;
  /**
   * Regions whose AWS Backup region settings have advanced DynamoDB backup on
   * (ResourceTypeManagementPreference.DynamoDB); an account-wide setting, not a stack input.
   */
  advancedDynamoDbBackupRegions: string[];
  /** SNS messages published through the simulated API. */
  published: { region: string; topicArn: string; subject?: string; message: string }[];
}

export interface SimulatedStack {
  run: ProgramRun;
  service: ServiceState;
}

/** A correct stack right after `pulumi up`: the secret replica is still catching up. */
export function correctStack(run: ProgramRun): SimulatedStack {
  return {
    // A deep copy as plain data: assets (Lambda code) hold promises and are not needed here.
    run: JSON.parse(JSON.stringify(run)) as ProgramRun,
    service: {
      peeringStatus: "active",
      peeringRouteState: "active",
      flowLogStatus: "ACTIVE",
      secretReplicaStatuses: [{ Status: "InProgress" }, { Status: "InSync" }],
      tableReplicaStatus: "ACTIVE",
      secretDescribeCalls: 0,
      failingHealthChecks: [],
      healthCheckCalls: {},
      alarmStates: {},
      globalFailoverState: undefined,
      globalWriterArns: undefined,
      downApiRegions: [],
      downRegions: [],
      tableItems: {},
      advancedDynamoDbBackupRegions: [
        String(run.outputs.primaryRegion),
        String(run.outputs.drRegion),
      ],
      published: [],
    },
  };
}

/** An AWS service error: its name is the error code the SDK reports. */
export function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;
export const bool = (value: unknown, fallback: boolean): boolean =>
  typeof value === "boolean" ? value : fallback;
export const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
export const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.map(record) : [];

export interface RegionAware {
  config: { region: unknown };
}
export async function regionOf(getClient: () => unknown): Promise<string> {
  const region = (getClient() as RegionAware).config.region;
  const value: unknown =
    typeof region === "function" ? await (region as () => Promise<unknown>)() : region;
  return String(value);
}

/** Queries over the current simulated stack. */
export class Cloud {
  constructor(readonly stack: SimulatedStack) {}

  private get resources(): CapturedResource[] {
    return this.stack.run.resources;
  }

  of(type: string, region?: string): CapturedResource[] {
    return this.resources.filter(
      (r) => r.type === type && (region === undefined || r.region === region),
    );
  }

  /** The id the mock gave a resource; a peering accepter's id is its connection's (pcx-) id. */
  idOf(resource: CapturedResource): string {
    if (resource.type === "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter") {
      return text(resource.inputs.vpcPeeringConnectionId) ?? `${resource.name}-id`;
    }
    return `${resource.name}-id`;
  }

  /** Normalizes a reference that may be an accepter's id to the connection id. */
  peeringId(ref: unknown): string {
    const accepter = this.of(
      "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    ).find((r) => `${r.name}-id` === ref);
    return accepter ? this.idOf(accepter) : String(ref);
  }

  byId(id: unknown): CapturedResource | undefined {
    return this.resources.find((r) => `${r.name}-id` === id);
  }

  nameOf(resource: CapturedResource): string {
    return physicalNameOf(resource.type, resource.name, resource.inputs);
  }

  arnOf(resource: CapturedResource): string {
    return fakeArn(resource.type, this.nameOf(resource), `${resource.name}-id`, resource.region);
  }

  /** EC2 shows gateway ids as igw-…; the mock's ids are logical names. */
  gatewayId(ref: unknown): string | undefined {
    const gateway = this.byId(ref);
    if (gateway?.type === "aws:ec2/internetGateway:InternetGateway") {
      return `igw-${Buffer.from(gateway.name).toString("hex").slice(0, 17)}`;
    }
    return text(ref);
  }

  bucket(name: unknown, region: string): CapturedResource {
    const bucket = this.of("aws:s3/bucket:Bucket").find((r) => this.nameOf(r) === name);
    if (!bucket)
      throw awsError("NoSuchBucket", `The specified bucket does not exist: ${String(name)}`);
    if (bucket.region !== region) {
      throw awsError("PermanentRedirect", `${String(name)} is in ${bucket.region}, not ${region}`);
    }
    return bucket;
  }

  /** A bucket sub-resource (versioning, encryption, ...), referenced by bucket id or name. */
  bucketPart(type: string, bucket: CapturedResource): CapturedResource | undefined {
    return this.of(type).find(
      (r) => r.inputs.bucket === this.idOf(bucket) || r.inputs.bucket === this.nameOf(bucket),
    );
  }

  /**
   * Whether RDS reports the cluster as its global cluster's writer (GlobalClusterMember.IsWriter):
   * the member created without a sourceRegion, unless the service state says which claim it.
   */
  isGlobalWriter(cluster: CapturedResource): boolean {
    const override = this.stack.service.globalWriterArns;
    if (override !== undefined) return override.includes(this.arnOf(cluster));
    return (
      cluster.inputs.globalClusterIdentifier !== undefined &&
      cluster.inputs.sourceRegion === undefined
    );
  }

  /** A cluster's instances in its region (they name it by id or identifier), in name order. */
  instancesOf(cluster: CapturedResource): CapturedResource[] {
    return this.of("aws:rds/clusterInstance:ClusterInstance", cluster.region)
      .filter((i) =>
        [this.idOf(cluster), this.nameOf(cluster)].includes(String(i.inputs.clusterIdentifier)),
      )
      .sort((a, b) => this.nameOf(a).localeCompare(this.nameOf(b)));
  }

  vpcCidr(vpcId: unknown): string | undefined {
    const vpc = this.byId(vpcId);
    return vpc ? text(vpc.inputs.cidrBlock) : undefined;
  }
}

/**
 * Makes every command a mocked client has no handler for fail loudly, naming it, instead of
 * aws-sdk-client-mock's default answer (undefined), which a caller would misread. The handlers
 * registered with `.on(Command)` take precedence over this default.
 */
export function refuseUnsimulated(mock: {
  send: { callsFake(fn: (command: unknown) => unknown): unknown };
}): void {
  mock.send.callsFake((command: unknown) => {
    const name = (command as { constructor?: { name?: string } }).constructor?.name ?? "command";
    return Promise.reject(new Error(`simulated AWS: ${name} is not simulated`));
  });
}

/** The AWS-managed key a service falls back to when no customer key is given. */
export const awsManagedKey = (region: string, service: string): string =>
  `arn:aws:kms:${region}:${TEST_ACCOUNT_ID}:key/aws-managed-${service}`;
