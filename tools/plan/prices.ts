/**
 * The price table `npm run plan` estimates from: us-east-1 list prices, each with its source,
 * the date the source itself states (when it states one) and the date its stored copy was
 * read. The README's "What it costs while idle" table uses the same figures and sources. Other
 * regions are estimated at these prices and marked approximate: check them in the AWS Pricing
 * Calculator. Update a price here, with its source, when AWS changes it.
 */

export interface Price {
  /** US dollars per `unit`. */
  readonly usd: number;
  readonly unit: string;
  /** Where the figure comes from. */
  readonly source: string;
  /** The date the source states for its prices, when it states one. */
  readonly sourceDate?: string;
  /** When the stored copy of the source was read. */
  readonly read: string;
  /** The region the price is for. */
  readonly region: "us-east-1";
  /** A free allowance per account and month, in `unit`s, when there is one. */
  readonly freePerMonth?: number;
}

const READ = "2026-11-28";
const US_EAST_1 = "us-east-1" as const;

const price = (
  usd: number,
  unit: string,
  source: string,
  extra: { sourceDate?: string; freePerMonth?: number } = {},
): Price => ({ usd, unit, source, read: READ, region: US_EAST_1, ...extra });

export const PRICES = {
  auroraAcuHour: price(
    0.12,
    "ACU-hour (Aurora Serverless v2)",
    '"Amazon Aurora Pricing: The I/O-Optimized Crossover and the Serverless v2 ACU Trap" (factualminds)',
    { sourceDate: "2026-06" },
  ),
  auroraStorageGbMonth: price(
    0.1,
    "GB-month (Aurora Standard storage)",
    '"AWS Aurora Pricing Explained" (Cloud ex Machina)',
    { sourceDate: "2025-09-02" },
  ),
  auroraIoMillion: price(
    0.2,
    "million I/Os (Aurora Standard)",
    '"Amazon Aurora" (deepakkarkala.com, from AWS\'s examples); AWS "Amazon Aurora Pricing"',
  ),
  endpointAzHour: price(
    0.01,
    "interface endpoint per AZ-hour",
    '"AWS PrivateLink Cost Analysis" (awsnegotiations.com); AWS "AWS PrivateLink pricing"',
    { sourceDate: "2026-05" },
  ),
  albHour: price(
    0.0225,
    "ALB-hour",
    'AWS "Elastic Load Balancing pricing", transcribed by api-evangelist/amazon-elastic-load-balancing',
    { sourceDate: "2026-09-20" },
  ),
  lcuHour: price(
    0.008,
    "LCU-hour",
    'AWS "Elastic Load Balancing pricing", transcribed by api-evangelist/amazon-elastic-load-balancing',
    { sourceDate: "2026-09-20" },
  ),
  publicIpv4Hour: price(
    0.005,
    "public IPv4 address-hour",
    '"PSA: Review Your AWS Public IPv4 Address Usage" (Avangards; charged since 2024-02-01)',
  ),
  natGatewayHour: price(
    0.045,
    "NAT gateway-hour",
    'AWS "Amazon VPC pricing" (its us-east-2 example), transcribed by api-evangelist/amazon-vpc',
    { sourceDate: "2026-09-20" },
  ),
  kmsKeyMonth: price(1, "customer managed key-month", 'AWS "AWS Key Management Service pricing"'),
  secretMonth: price(
    0.4,
    "secret-month (a replica is billed as a secret)",
    'AWS "AWS Secrets Manager pricing", transcribed by api-evangelist/amazon-secrets-manager',
    { sourceDate: "2026-09-20" },
  ),
  hostedZoneMonth: price(
    0.5,
    "hosted zone-month",
    'AWS "Amazon Route 53 pricing", transcribed by api-evangelist/amazon-route53-resolver',
    { sourceDate: "2026-09-20" },
  ),
  healthCheckAwsMonth: price(
    0.5,
    "health check-month, AWS endpoint (first 50 free)",
    'AWS "Amazon Route 53 pricing", transcribed by api-evangelist/amazon-route53-resolver',
    { sourceDate: "2026-09-20", freePerMonth: 50 },
  ),
  healthCheckFeatureAwsMonth: price(
    1,
    "optional feature-month per health check, AWS endpoint (HTTPS, string matching, fast interval, latency)",
    'AWS "Amazon Route 53 pricing", transcribed by api-evangelist/amazon-route53-resolver',
    { sourceDate: "2026-09-20" },
  ),
  lambdaRequestMillion: price(
    0.2,
    "million Lambda requests",
    '"AWS Lambda Pricing Breakdown" (Cloudchipr, us-east-1); "Pricing" (KodeKloud notes, free tier)',
    { freePerMonth: 1 },
  ),
  lambdaArmGbSecond: price(
    0.0000133334,
    "GB-second (arm64)",
    '"AWS Lambda Pricing Breakdown" (Cloudchipr, us-east-1); "Pricing" (KodeKloud notes, free tier)',
    { freePerMonth: 400_000 },
  ),
  xrayTraceMillion: price(5, "million traces recorded", 'AWS "AWS X-Ray pricing"', {
    freePerMonth: 0.1,
  }),
  logsIngestGb: price(
    0.5,
    "GB of CloudWatch Logs ingested",
    '"Amazon CloudWatch Logs pricing" (Hykell, us-east-1)',
    { freePerMonth: 5 },
  ),
  alarmMonth: price(
    0.1,
    "standard metric alarm-month",
    'AWS "Amazon CloudWatch Pricing" (rates as quoted by c3x.dev, cloudcostkit.com)',
    { freePerMonth: 10 },
  ),
  compositeAlarmMonth: price(
    0.5,
    "composite alarm-month",
    'AWS "Amazon CloudWatch Pricing" (rates as quoted by c3x.dev, cloudcostkit.com)',
  ),
  dashboardMonth: price(
    3,
    "dashboard-month",
    'AWS "Amazon CloudWatch Pricing" (rates as quoted by c3x.dev, cloudcostkit.com)',
    { freePerMonth: 3 },
  ),
  customMetricMonth: price(
    0.3,
    "custom metric-month",
    'AWS "Amazon CloudWatch Pricing" (rates as quoted by c3x.dev, cloudcostkit.com)',
    { freePerMonth: 10 },
  ),
  dynamoReadMillion: price(
    0.125,
    "million on-demand read request units",
    '"Amazon DynamoDB Pricing: On-Demand & Provisioned Plans" (Airbyte, US East)',
    { sourceDate: "2025-07-21" },
  ),
  dynamoWriteMillion: price(
    0.625,
    "million on-demand write request units (replicated writes priced the same)",
    '"Amazon DynamoDB Pricing: On-Demand & Provisioned Plans" (Airbyte, US East)',
    { sourceDate: "2025-07-21" },
  ),
  sqsRequestMillion: price(
    0.4,
    "million SQS standard requests",
    '"Amazon SQS Pricing: The 64 KB Rule, FIFO Premium, and Why Empty Receives Drive Half the Bill" (factualminds, us-east-1)',
    { sourceDate: "2026-06", freePerMonth: 1 },
  ),
  backupWarmGbMonth: price(
    0.1,
    "GB-month of AWS Backup warm storage (DynamoDB)",
    '"AWS Backup Pricing: Warm Storage, Cold Tier 90-Day Minimum, and the Cross-Region Double Bill" (factualminds)',
    { sourceDate: "2026-06-13" },
  ),
  backupCopyGb: price(
    0.02,
    "GB copied across regions by AWS Backup",
    '"AWS Backup Pricing: Warm Storage, Cold Tier 90-Day Minimum, and the Cross-Region Double Bill" (factualminds)',
    { sourceDate: "2026-06-13" },
  ),
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/**
 * Hourly on-demand prices of instance classes, us-east-1, Linux. A class that is not listed
 * here is reported as unpriced rather than guessed.
 */
export const INSTANCE_HOUR_PRICES: Readonly<Record<string, Price>> = {
  // Aurora PostgreSQL, provisioned (dbCapacity: provisioned).
  "db.r6g.large": price(
    0.3,
    "instance-hour (Aurora PostgreSQL)",
    '"RDS vs Aurora cost calculator" table (store-v2-khaki.vercel.app, list prices)',
  ),
  "db.r6g.4xlarge": price(
    2.4,
    "instance-hour (Aurora PostgreSQL)",
    '"RDS vs Aurora cost calculator" table (store-v2-khaki.vercel.app, list prices)',
  ),
  // EC2 app tier (appTier: ec2).
  "m7g.large": price(
    0.0816,
    "instance-hour (EC2 Linux)",
    '"Amazon EC2 On-Demand Pricing: Instance Families, Regional Multipliers, and the Graviton Crossover" (factualminds)',
    { sourceDate: "2026-06-17" },
  ),
  "t3.small": price(
    0.024,
    "instance-hour (EC2 Linux)",
    '"AWS EC2: price of maxed out burstable instances" (matthiaskraaz.blogspot.com)',
    { sourceDate: "2021-08-30" },
  ),
  "t3.medium": price(
    0.048,
    "instance-hour (EC2 Linux)",
    '"AWS EC2: price of maxed out burstable instances" (matthiaskraaz.blogspot.com)',
    { sourceDate: "2021-08-30" },
  ),
};

/** Hours in the month every estimate uses (AWS's own calculators use 730). */
export const HOURS_PER_MONTH = 730;
