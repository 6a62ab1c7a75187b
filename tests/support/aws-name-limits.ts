/**
 * AWS's own name rules, per resource type and input, kept apart from
 * lib/naming.ts so the program's names are checked against an independent
 * table. Sources: the API reference of each service (CreateRole RoleName,
 * PutRolePolicy PolicyName, CreateAlias AliasName, CreateLogGroup
 * logGroupName, CreateSecurityGroup GroupName, EC2 tag values).
 */
export interface NameRule {
  readonly field: string;
  readonly max: number;
  readonly pattern: RegExp;
}

export const AWS_NAME_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  "aws:iam/role:Role": [{ field: "name", max: 64, pattern: /^[\w+=,.@-]+$/ }],
  "aws:iam/rolePolicy:RolePolicy": [{ field: "name", max: 128, pattern: /^[\w+=,.@-]+$/ }],
  "aws:kms/alias:Alias": [{ field: "name", max: 256, pattern: /^alias\/(?!aws\/)[\w/-]+$/ }],
  "aws:cloudwatch/logGroup:LogGroup": [{ field: "name", max: 512, pattern: /^[\w\-/.#]+$/ }],
  "aws:ec2/securityGroup:SecurityGroup": [
    { field: "name", max: 255, pattern: /^(?!sg-)[\w ._\-:/()#,@[\]+=&;{}!$*]+$/ },
  ],
};

/** EC2 and most services: tag values are at most 256 characters. */
export const TAG_VALUE_MAX = 256;
