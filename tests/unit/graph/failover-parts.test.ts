/**
 * The pure parts of the failover automation, without the Pulumi runtime: where a function runs,
 * the prober's input, the failover instance's class and the event patterns.
 */
import { functionPlacement } from "../../../lib/app/app-function";
import { alarmStatePattern, rdsFailoverEventPattern } from "../../../lib/failover/event-patterns";
import {
  clusterInstanceIdentifiers,
  failoverInstanceIdentifier,
  globalClusterArn,
  stateMachineArn,
  stateMachineName,
} from "../../../lib/failover/failover-names";
import { failoverInstanceClass } from "../../../lib/failover/orchestrator-environment";
import { proberEvent } from "../../../lib/failover/prober-schedule";

const SCOPE = { environmentSuffix: "dev", region: "us-east-2" };
const ARN_SCOPE = { partition: "aws", region: "us-east-2", accountId: "123456789012" };

describe("functionPlacement", () => {
  const egress = [{ description: "HTTPS", port: 443, cidr: "10.0.0.0/16" }];

  it.each([
    ["all three set", { vpcId: "vpc-1", subnetIds: ["subnet-1"], egress }, "vpc"],
    ["none set", {}, "outside-vpc"],
  ])("with %s runs %s", (_label, network, kind) => {
    expect(functionPlacement({ purpose: "api", ...network }).kind).toBe(kind);
  });

  it.each([
    [
      { vpcId: "vpc-1" },
      'AppFunction "prober": vpcId, subnetIds and egress go together (vpcId set, subnetIds, egress not); set all three to run in the VPC, or none to run outside any VPC',
    ],
    [
      { subnetIds: ["subnet-1"], egress },
      'AppFunction "prober": vpcId, subnetIds and egress go together (subnetIds, egress set, vpcId not); set all three to run in the VPC, or none to run outside any VPC',
    ],
    [
      { vpcId: "vpc-1", subnetIds: [], egress },
      'AppFunction "prober": subnetIds is empty; give one private subnet per AZ, or leave vpcId, subnetIds and egress all unset to run outside any VPC',
    ],
  ])("rejects a partial or empty attachment %j", (network, message) => {
    expect(() => functionPlacement({ purpose: "prober", ...network })).toThrow(message);
  });
});

describe("proberEvent", () => {
  it.each([
    ["http://alb-1.us-east-1.elb.amazonaws.com", "/health"],
    ["http://alb-1.us-east-1.elb.amazonaws.com/", "/health"],
    ["http://alb-1.us-east-1.elb.amazonaws.com", "health"],
  ])("joins %s and %s with one slash", (apiUrl, healthCheckPath) => {
    expect(proberEvent({ region: "us-east-1", apiUrl, healthCheckPath })).toEqual({
      targetUrl: "http://alb-1.us-east-1.elb.amazonaws.com/health",
      peerRegion: "us-east-1",
    });
  });
});

describe("failover names", () => {
  it("builds the state machine's ARN as Step Functions does, from its name", () => {
    expect(stateMachineArn(ARN_SCOPE, stateMachineName(SCOPE))).toBe(
      "arn:aws:states:us-east-2:123456789012:stateMachine:tap-dev-failover-use2",
    );
  });

  it("gives the global cluster a region-less ARN", () => {
    expect(globalClusterArn(ARN_SCOPE, "tap-dev-global-db")).toBe(
      "arn:aws:rds::123456789012:global-cluster:tap-dev-global-db",
    );
  });

  it("names the failover instance db-1, also for a headless cluster", () => {
    expect(failoverInstanceIdentifier(SCOPE)).toBe("tap-dev-db-1-use2");
    expect(clusterInstanceIdentifiers(SCOPE, 0)).toEqual(["tap-dev-db-1-use2"]);
    expect(clusterInstanceIdentifiers(SCOPE, 2)).toEqual([
      "tap-dev-db-1-use2",
      "tap-dev-db-2-use2",
    ]);
  });
});

describe("failoverInstanceClass", () => {
  it.each([
    [{ capacity: "serverless", instanceClass: "db.r6g.large" }, "db.serverless"],
    [{ capacity: "provisioned", instanceClass: "db.r7g.xlarge" }, "db.r7g.xlarge"],
  ] as const)("for %j is %s, the class of the cluster's own instances", (database, expected) => {
    expect(failoverInstanceClass(database)).toBe(expected);
  });
});

describe("event patterns", () => {
  it("matches only the named alarm entering ALARM", () => {
    expect(alarmStatePattern("tap-dev-alarm-failover-corroborated-use2")).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: {
        alarmName: ["tap-dev-alarm-failover-corroborated-use2"],
        state: { value: ["ALARM"] },
      },
    });
  });

  it("matches failover events of the cluster, its instances and the global cluster", () => {
    expect(
      rdsFailoverEventPattern({
        clusterIdentifier: "tap-dev-db-use2",
        instanceIdentifiers: ["tap-dev-db-1-use2"],
        globalClusterIdentifier: "tap-dev-global-db",
      }).detail,
    ).toEqual({
      EventCategories: ["global-failover", "failover", "failure"],
      SourceIdentifier: ["tap-dev-db-use2", "tap-dev-db-1-use2", "tap-dev-global-db"],
    });
  });
});
