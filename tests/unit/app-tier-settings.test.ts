import {
  DEFAULT_WORKER_MAX_CONCURRENCY,
  LAMBDA_CA_BUNDLE,
  WORKER_TIMEOUT_SECONDS,
  handlerEnvironment,
  serverEnvironment,
  workerMaximumConcurrency,
} from "../../lib/app/app-tier-settings";
import { VISIBILITY_TIMEOUT_SECONDS } from "../../lib/data/transaction-queues";
import { functionEgress } from "../../lib/app/function-egress";
import { validateAppTierArgs } from "../../lib/app/regional-app-tier-args";

describe("app tier settings", () => {
  it.each([
    [undefined, DEFAULT_WORKER_MAX_CONCURRENCY],
    [1, undefined],
    [2, undefined],
    [3, 2],
    [10, 9],
    [900, 899],
  ])(
    "bounds the worker's event-source concurrency by its reserve less one for the drain: %p -> %p",
    (reserved, max) => {
      expect(workerMaximumConcurrency(reserved)).toBe(max);
    },
  );

  it("keeps the queue's visibility timeout at six times the worker's timeout", () => {
    expect(VISIBILITY_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(6 * WORKER_TIMEOUT_SECONDS);
  });

  const inputs = {
    environmentSuffix: "dev",
    role: "dr" as const,
    databaseHost: "db.example",
    databaseReadHost: "db-ro.example",
    queueUrl: "https://sqs.us-east-2.amazonaws.com/123456789012/q",
    serviceName: "transaction-api",
  };

  it("tells handlers exactly where their region's data is, and nothing secret", () => {
    expect(handlerEnvironment(inputs)).toEqual({
      DB_HOST: "db.example",
      DB_READ_HOST: "db-ro.example",
      DB_PORT: "5432",
      DB_NAME: "transactions",
      DB_SECRET_ID: "tap-dev-db-master-credentials",
      TABLE_NAME: "tap-dev-transactions",
      QUEUE_URL: inputs.queueUrl,
      POWERTOOLS_SERVICE_NAME: "transaction-api",
      POWERTOOLS_METRICS_NAMESPACE: "TapDr",
      NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
      REGION_ROLE: "dr",
    });
  });

  it("gives the EC2 server the same environment without the Lambda CA path", () => {
    const server = serverEnvironment(inputs);
    expect(Object.keys(server)).not.toContain("NODE_EXTRA_CA_CERTS");
    expect({ ...server, NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE }).toEqual(
      handlerEnvironment(inputs),
    );
  });

  it("opens HTTPS to the endpoint security group without NAT, and to any address on 443 only with NAT", () => {
    const base = { databaseSubnetCidrs: ["10.0.128.0/20"], dynamoDbPrefixListId: "pl-1" };
    expect(
      functionEgress({
        ...base,
        awsApiAccess: "interface-endpoints",
        interfaceEndpointSecurityGroupId: "sg-endpoints",
      }),
    ).toEqual([
      { description: "PostgreSQL to Aurora in 10.0.128.0/20", port: 5432, cidr: "10.0.128.0/20" },
      {
        description: "HTTPS to DynamoDB through the gateway endpoint",
        port: 443,
        prefixListId: "pl-1",
      },
      expect.objectContaining({ port: 443, securityGroupId: "sg-endpoints" }),
    ]);
    expect(functionEgress({ ...base, awsApiAccess: "nat" })[2]).toEqual(
      expect.objectContaining({ port: 443, cidr: "0.0.0.0/0" }),
    );
  });

  it("refuses a domain without its zone, and private endpoints without their security group", () => {
    expect(() =>
      validateAppTierArgs({
        region: "us-east-2",
        domainName: "payments.example.com",
        awsApiAccess: "nat",
      }),
    ).toThrow(
      'RegionalAppTier us-east-2: hostedZoneId is required with domainName "payments.example.com" (certificate validation records go into the zone)',
    );
    expect(() =>
      validateAppTierArgs({ region: "us-east-1", awsApiAccess: "interface-endpoints" }),
    ).toThrow(
      'RegionalAppTier us-east-1: interfaceEndpointSecurityGroupId is required with awsApiAccess "interface-endpoints"; pass the VPC endpoints\' security group, or use "nat"',
    );
    expect(() =>
      validateAppTierArgs({
        region: "us-east-1",
        domainName: "payments.example.com",
        hostedZoneId: "Z1",
        awsApiAccess: "interface-endpoints",
        interfaceEndpointSecurityGroupId: "sg-1",
      }),
    ).not.toThrow();
  });
});
