import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { IConstruct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { imageOf, imageProblem } from "../../lib/images";
import { registryUrl } from "../../lib/naming";
import { attributesOf, containersOf, environmentOf, variablePatterns } from "../inspect";
import type { Finding, PolicyRule } from "../types";
import { escapeRegExp, VARIABLE_REFERENCE } from "../../lib/patterns";

/**
 * Whether `pattern` has a `|` outside any group or character class: an
 * alternative there is not bound by the leading `^<registry>/`.
 */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

/** Whether every string `pattern` matches starts with `<registry>/`: anchored there, with no top-level alternative. */
function pinsRegistry(pattern: string, env: EnvironmentConfig): boolean {
  const anchor = `^${escapeRegExp(`${registryUrl(env)}/`)}`;
  try {
    new RegExp(pattern);
  } catch {
    return false; // Not a JavaScript regex: unverifiable.
  }
  return pattern.startsWith(anchor) && !hasTopLevelAlternation(pattern);
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
