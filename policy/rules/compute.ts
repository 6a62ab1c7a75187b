/** Lambda, Step Functions, Secrets Manager and EC2 launch templates. */
import { PolicyRule, isUnknown } from "../model";
import { flag, objectOf, objectsOf, regionalKeyProblems, shown } from "../values";
import { TYPES } from "./types";

export const lambdaNotPublic: PolicyRule = {
  id: "TAP-LMB-1",
  title:
    "Lambda functions are not public: permissions name their caller and its source, URLs need IAM",
  baseline: "FSBP Lambda.1, CKV_AWS_301, CKV_AWS_364",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [TYPES.lambdaPermission, TYPES.lambdaFunctionUrl],
  scope: "resource",
  remediation:
    "Grant invoke to a named principal; for a service principal set sourceArn (or sourceAccount); give function URLs authorizationType AWS_IAM.",
  validate(resource) {
    if (resource.type === TYPES.lambdaFunctionUrl) {
      const auth = resource.inputs.authorizationType;
      return isUnknown(auth) || auth === "AWS_IAM"
        ? []
        : [
            `function URL authorizationType is ${shown(auth)}; anyone on the internet could invoke it`,
          ];
    }
    const { principal, sourceArn, sourceAccount, principalOrgId } = resource.inputs;
    if (isUnknown(principal)) return [];
    const scoped = [sourceArn, sourceAccount, principalOrgId].some(
      (value) => value !== undefined && value !== "",
    );
    if (principal === "*" && !scoped) {
      return [
        'principal "*" without sourceArn, sourceAccount or principalOrgId: anyone may invoke',
      ];
    }
    if (typeof principal === "string" && principal.endsWith(".amazonaws.com") && !scoped) {
      return [
        `service principal ${principal} without sourceArn or sourceAccount: any account's ${principal} resource may invoke`,
      ];
    }
    return [];
  },
};

export const lambdaTracing: PolicyRule = {
  id: "TAP-LMB-2",
  title: "Lambda functions trace with X-Ray (active tracing)",
  baseline: "Security Hub Lambda.7 (NIST 800-53), CKV_AWS_50",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.lambdaFunction],
  scope: "resource",
  remediation: 'Set tracingConfig { mode: "Active" }.',
  validate(fn) {
    const tracing = objectOf(fn.inputs.tracingConfig);
    if (isUnknown(tracing) || isUnknown(tracing?.mode)) return [];
    return tracing?.mode === "Active"
      ? []
      : [`tracingConfig.mode is ${shown(tracing?.mode)}; set it to "Active"`];
  },
};

export const lambdaReservedConcurrency: PolicyRule = {
  id: "TAP-LMB-3",
  title: "Lambda functions reserve concurrency",
  baseline: "CKV_AWS_115",
  severity: "low",
  enforcement: "advisory",
  resourceTypes: [TYPES.lambdaFunction],
  scope: "resource",
  remediation:
    "Set reservedConcurrentExecutions above 0 (config apiReservedConcurrency, workerReservedConcurrency); 0 reserves none.",
  validate(fn) {
    const reserved = fn.inputs.reservedConcurrentExecutions;
    if (isUnknown(reserved)) return [];
    return typeof reserved === "number" && reserved > 0
      ? []
      : [
          `reservedConcurrentExecutions is ${shown(reserved)}; without a reserve, other functions can take all of the account's concurrency`,
        ];
  },
};

export const lambdaEnvironmentKey: PolicyRule = {
  id: "TAP-LMB-4",
  title: "Lambda environment variables are encrypted with the function's region's key",
  baseline: "CKV_AWS_173",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.lambdaFunction],
  scope: "resource",
  remediation: "Set kmsKeyArn to the ARN of the region's key.",
  validate(fn, context) {
    const environment = objectOf(fn.inputs.environment);
    if (isUnknown(environment)) return [];
    const variables = objectOf(environment?.variables);
    if (!isUnknown(variables) && Object.keys(variables ?? {}).length === 0) return [];
    return regionalKeyProblems(fn.inputs.kmsKeyArn, "kmsKeyArn", fn.region, context);
  },
};

export const lambdaFailureDestination: PolicyRule = {
  id: "TAP-LMB-5",
  title:
    "Lambda functions send failed asynchronous invocations to a dead-letter queue or on-failure destination",
  baseline: "CKV_AWS_116, cdk-nag Serverless-LambdaDLQ, Serverless-LambdaAsyncFailureDestination",
  severity: "low",
  enforcement: "advisory",
  resourceTypes: [TYPES.lambdaFunction],
  scope: "stack",
  remediation:
    "Set deadLetterConfig.targetArn, or add a FunctionEventInvokeConfig with destinationConfig.onFailure.destination.",
  validate(fn, context) {
    const deadLetter = objectOf(fn.inputs.deadLetterConfig);
    if (isUnknown(deadLetter) || deadLetter?.targetArn !== undefined) return [];
    const configs = context.graph.referencing(fn, TYPES.lambdaInvokeConfig, "functionName");
    const hasDestination = configs.some((config) => {
      const destination = objectOf(config.inputs.destinationConfig);
      if (isUnknown(destination)) return true;
      const onFailure = objectOf(destination?.onFailure);
      return isUnknown(onFailure) || onFailure?.destination !== undefined;
    });
    return hasDestination
      ? []
      : ["has no dead-letter queue and no on-failure destination for asynchronous invocations"];
  },
};

export const stepFunctionsLogging: PolicyRule = {
  id: "TAP-SFN-1",
  title: "Step Functions state machines log executions to CloudWatch Logs",
  baseline: "FSBP StepFunctions.1, AwsSolutions-SF1, CKV_AWS_285",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.stateMachine],
  scope: "resource",
  remediation: 'Set loggingConfiguration { level: "ALL", logDestination: "<log group ARN>:*" }.',
  validate(machine) {
    const logging = objectOf(machine.inputs.loggingConfiguration);
    if (isUnknown(logging)) return [];
    const level = logging?.level;
    if (isUnknown(level)) return [];
    const problems: string[] = [];
    if (level !== "ALL" && level !== "ERROR" && level !== "FATAL") {
      problems.push(`loggingConfiguration.level is ${shown(level)}; log ALL (or at least ERROR)`);
    }
    if (logging?.logDestination === undefined || logging.logDestination === "") {
      problems.push("loggingConfiguration.logDestination is unset; name a log group");
    }
    return problems;
  },
};

export const stepFunctionsTracing: PolicyRule = {
  id: "TAP-SFN-2",
  title: "Step Functions state machines trace with X-Ray",
  baseline: "AwsSolutions-SF2, CKV_AWS_284",
  severity: "low",
  enforcement: "mandatory",
  resourceTypes: [TYPES.stateMachine],
  scope: "resource",
  remediation: "Set tracingConfiguration { enabled: true }.",
  validate(machine) {
    const tracing = objectOf(machine.inputs.tracingConfiguration);
    if (isUnknown(tracing) || isUnknown(tracing?.enabled)) return [];
    return flag(tracing?.enabled) === true ? [] : ["tracingConfiguration.enabled is not true"];
  },
};

export const secretEncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-SM-1",
  title: "Secrets and each replica are encrypted with their own region's key",
  baseline: "CKV_AWS_149",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.secret],
  scope: "resource",
  remediation:
    "Set kmsKeyId to the region's key and each replicas[].kmsKeyId to the replica region's key.",
  validate(secret, context) {
    const problems = regionalKeyProblems(
      secret.inputs.kmsKeyId,
      "kmsKeyId",
      secret.region,
      context,
    );
    const replicas = objectsOf(secret.inputs.replicas);
    if (isUnknown(replicas)) return problems;
    for (const replica of replicas) {
      const region = typeof replica.region === "string" ? replica.region : "";
      problems.push(
        ...regionalKeyProblems(
          replica.kmsKeyId,
          `replica ${region || "?"} kmsKeyId`,
          region,
          context,
        ),
      );
    }
    return problems;
  },
};

export const launchTemplateImdsV2: PolicyRule = {
  id: "TAP-EC2-1",
  title: "EC2 launch templates and instances require IMDSv2",
  baseline: "FSBP EC2.8, FSBP EC2.170, FSBP AutoScaling.3, CKV_AWS_79",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.launchTemplate, TYPES.instance],
  scope: "resource",
  remediation: 'Set metadataOptions { httpTokens: "required" }.',
  validate(resource) {
    const options = objectOf(resource.inputs.metadataOptions);
    if (isUnknown(options) || isUnknown(options?.httpTokens)) return [];
    return options?.httpTokens === "required"
      ? []
      : [
          `metadataOptions.httpTokens is ${shown(options?.httpTokens)}; require IMDSv2 tokens ("required")`,
        ];
  },
};

export const launchTemplateEbsKey: PolicyRule = {
  id: "TAP-EC2-2",
  title: "EC2 launch templates encrypt EBS volumes with their region's key",
  baseline: "FSBP EC2.181, AwsSolutions-EC26",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.launchTemplate],
  scope: "resource",
  remediation: 'Set blockDeviceMappings[].ebs { encrypted: "true", kmsKeyId: the region\'s key }.',
  validate(template, context) {
    const mappings = objectsOf(template.inputs.blockDeviceMappings);
    if (isUnknown(mappings)) return [];
    const problems: string[] = [];
    for (const mapping of mappings) {
      const ebs = objectOf(mapping.ebs);
      if (ebs === undefined || isUnknown(ebs)) continue;
      const device = shown(mapping.deviceName);
      if (flag(ebs.encrypted) !== true) {
        problems.push(`volume ${device} is not encrypted`);
        continue;
      }
      problems.push(
        ...regionalKeyProblems(ebs.kmsKeyId, `volume ${device} kmsKeyId`, template.region, context),
      );
    }
    return problems;
  },
};

export const COMPUTE_RULES: readonly PolicyRule[] = [
  lambdaNotPublic,
  lambdaTracing,
  lambdaReservedConcurrency,
  lambdaEnvironmentKey,
  lambdaFailureDestination,
  stepFunctionsLogging,
  stepFunctionsTracing,
  secretEncryptedWithRegionalKey,
  launchTemplateImdsV2,
  launchTemplateEbsKey,
];
