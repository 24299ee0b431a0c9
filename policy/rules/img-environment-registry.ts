import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { IConstruct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { imageOf, imageProblem } from "../../lib/images";
import { registryUrl } from "../../lib/naming";
import { attributesOf, containersOf, environmentOf, variablePatterns } from "../inspect";
import type { Finding, PolicyRule } from "../types";
import { escapeRegExp, VARIABLE_REFERENCE } from "../../lib/patterns";

/** An image that no pattern pinned to a registry may accept. */
const FOREIGN_IMAGE = "docker.io/library/busybox:latest";

/** Whether `pattern` is anchored at `^<registry>/` and has no alternation letting a foreign image through. */
function pinsRegistry(pattern: string, env: EnvironmentConfig): boolean {
  const anchor = `^${escapeRegExp(`${registryUrl(env)}/`)}`;
  try {
    return pattern.startsWith(anchor) && !new RegExp(pattern).test(FOREIGN_IMAGE);
  } catch {
    return false; // Not a JavaScript regex: unverifiable.
  }
}

/** MM-IMG-1: services run only images built and pushed by this environment's pipeline. */
export const IMG_ENVIRONMENT_REGISTRY: PolicyRule = {
  id: "MM-IMG-1",
  description: "every image comes from the environment's own Artifact Registry repository",
  severity: "error",
  fix: "use a variable validated by imageCondition() (lib/images), or a literal <registryUrl(env)>/<image>:<tag>",
  check(node: IConstruct): Finding[] {
    const env = environmentOf(node);
    if (!(node instanceof CloudRunV2Service) || env === undefined) return [];
    return containersOf(attributesOf(node)).flatMap((container): Finding[] => {
      const image = String(container.image);
      const variable = VARIABLE_REFERENCE.exec(image)?.[1];
      if (variable !== undefined) {
        const pinned = variablePatterns(node, variable).some((pattern) => pinsRegistry(pattern, env));
        return pinned ? [] : [`image var.${variable} has no validation pinning it to ${registryUrl(env)}/`];
      }
      const name = imageOf(env, image);
      if (name === undefined) return [`image ${image} is not in ${registryUrl(env)}/`];
      const problem = imageProblem(env, name, image);
      return problem === undefined ? [] : [`image ${image} is not deployable in ${env.name} (${problem})`];
    });
  },
};
