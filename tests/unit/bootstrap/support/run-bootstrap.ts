/**
 * The bootstrap program (bootstrap/index.ts) under Pulumi mocks: tools/graph/capture.ts runs it
 * the way it runs the main program, with this file's ProgramSpec. Every registered resource
 * with its inputs, parent, provider region and options, and the stack outputs. Lookups other
 * than the account and partition fail the run, and so does a lookup without a provider (the
 * ambient region).
 */
import * as path from "node:path";
import { TEST_ACCOUNT_ID, fakeArn } from "../../../../tools/graph/aws-mocks";
import {
  type CapturedResource,
  MAIN_PROGRAM_AWS,
  type MockAws,
  ProgramFailure,
  type ProgramRun,
  type ProgramSpec,
  captureProgram,
} from "../../../../tools/graph/capture";

export { TEST_ACCOUNT_ID };

export const BOOTSTRAP_PROJECT = "tap-dr-bootstrap";
const BOOTSTRAP_DIR = path.resolve(__dirname, "../../../../bootstrap");

export type BootstrapResource = CapturedResource;
export type BootstrapRun = ProgramRun;

const BOOTSTRAP_LOOKUPS = [
  "aws:index/getCallerIdentity:getCallerIdentity",
  "aws:index/getPartition:getPartition",
];

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * The bootstrap's AWS. Unlike the main program's fake AWS, a resource's physical name is its
 * name or bucket input, else its logical name (no autoname suffix), and a bucket's id is its
 * name, as in AWS: the state bucket's sub-resources and policies are checked by that name.
 */
const BOOTSTRAP_AWS: MockAws = {
  newResource: ({ type, name: logicalName, inputs, region }) => {
    const name = text(inputs.name) || text(inputs.bucket) || logicalName;
    const id = type === "aws:s3/bucket:Bucket" ? name : `${logicalName}-id`;
    // The OIDC provider's ARN is named by its URL, which fakeArn does not see.
    const arn =
      type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
        ? `arn:aws:iam::${TEST_ACCOUNT_ID}:oidc-provider/${text(inputs.url).replace(/^https:\/\//, "")}`
        : fakeArn(type, name, id, region);
    return { id, state: { ...inputs, name, bucket: name, arn, keyId: id } };
  },
  // The same fake account as the main program's; the bootstrap may look up nothing else.
  lookup: (lookup) => {
    if (!BOOTSTRAP_LOOKUPS.includes(lookup.token)) {
      throw new Error(`unmocked lookup ${lookup.token}`);
    }
    return MAIN_PROGRAM_AWS.lookup(lookup);
  },
};

const BOOTSTRAP_PROGRAM: ProgramSpec = {
  entry: path.join(BOOTSTRAP_DIR, "index"),
  project: BOOTSTRAP_PROJECT,
  stack: "ci",
  sources: [path.join(BOOTSTRAP_DIR, "index.ts"), path.join(BOOTSTRAP_DIR, "lib") + path.sep],
  aws: BOOTSTRAP_AWS,
};

/**
 * Config keys without the project namespace (or with their own, such as `aws:region`). A
 * program error is thrown as the program threw it, not as the capture's ProgramFailure.
 */
export async function runBootstrap(config: Record<string, unknown>): Promise<BootstrapRun> {
  try {
    return await captureProgram(config, { program: BOOTSTRAP_PROGRAM });
  } catch (error) {
    if (!(error instanceof ProgramFailure)) throw error;
    throw error.error instanceof Error ? error.error : new Error(JSON.stringify(error.error));
  }
}
