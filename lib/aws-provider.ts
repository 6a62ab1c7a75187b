import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * An explicit provider for one region. Every component owns the providers it
 * uses: children get it through `providers`/`provider`, never through the
 * ambient (default) provider, which the stack config disables.
 */
export function createRegionalProvider(
  name: string,
  region: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): aws.Provider {
  return new aws.Provider(name, { region, defaultTags: { tags: { ...tags } } }, { parent });
}
