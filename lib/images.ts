/**
 * Image references: which values an image variable accepts. The same pattern
 * string is checked here at synth time and emitted as the variable's
 * `validation` for OpenTofu, so the two cannot drift apart.
 */
import type { EnvironmentConfig } from "../environments/types";
import { check } from "./errors";
import { imageRepositoryPath, imageVariableName, registryUrl, tfvarsPath } from "./naming";
import { escapeRegExp } from "./patterns";

/**
 * Every tag the pipeline pushes starts with this (`v<VERSION>-<short sha>`),
 * and the registry's cleanup keeps every image carrying such a tag. An image
 * variable accepts only these tags (or a digest), so no image a tfvars file
 * names can be cleaned up, and `latest`, which does not say which build runs,
 * is refused.
 */
export const RELEASE_TAG_PREFIX = "v";
/** The tag that names whichever image was pushed last; refused with its own message. */
const LATEST = "latest";
/** A release tag, e.g. `v1.0.0-252ad69`: a Docker tag (at most 128 characters) starting with the prefix. */
const TAG = `${RELEASE_TAG_PREFIX}[A-Za-z0-9_.-]{0,127}`;
/** A content digest. */
const DIGEST = "sha256:[a-f0-9]{64}";

/**
 * The regular expression (RE2 and JavaScript alike) an image of `image` in
 * `env` must match: this environment's registry, this image, a tag or a digest.
 */
export function imagePattern(env: EnvironmentConfig, image: string): string {
  const path = escapeRegExp(imageRepositoryPath(env, image));
  return `^${path}(:${TAG}|@${DIGEST})$`;
}

/** True when `value` is an acceptable reference for `image` in `env`. */
export function isValidImage(env: EnvironmentConfig, image: string, value: string): boolean {
  return new RegExp(imagePattern(env, image)).test(value);
}

/** The accepted forms, for descriptions: `<path>:<tag> or <path>@sha256:<64 hex digits>`. */
export function imageForms(env: EnvironmentConfig, image: string): string {
  const path = imageRepositoryPath(env, image);
  return `${path}:<tag> or ${path}@sha256:<64 hex digits>`;
}

/** What `imagePattern` accepts, as the fix part of an error message. */
export function imageRule(env: EnvironmentConfig, image: string): string {
  return `use ${imageForms(env, image)}, where <tag> is a release tag starting with "${RELEASE_TAG_PREFIX}" (e.g. v1.0.0-252ad69)`;
}

/** True when `value` is a reference with the tag `latest`. */
export function isLatest(value: string): boolean {
  return value.endsWith(`:${LATEST}`);
}

/** The fix for an unacceptable `value`: why `latest` is refused, or what is accepted. */
export function imageFix(env: EnvironmentConfig, image: string, value: string): string {
  return isLatest(value)
    ? `the tag ${LATEST} does not say which build runs, and the registry's cleanup does not keep it; use the release tag the pipeline pushed (${imageRepositoryPath(env, image)}:v<VERSION>-<sha>) or a digest`
    : imageRule(env, image);
}

/**
 * Whether `value` may deploy as image `image` of `env`: undefined when it may,
 * else the fix, for a message. The one decision synth, the ops commands and
 * the policy pack share; OpenTofu's variable validation checks the same
 * pattern (imageCondition).
 */
export function imageProblem(env: EnvironmentConfig, image: string, value: string | undefined): string | undefined {
  if (value === undefined || value === "") return `it is missing; set it in ${tfvarsPath(env)} and ${imageRule(env, image)}`;
  return isValidImage(env, image, value) ? undefined : imageFix(env, image, value);
}

/** The image (`agent_service`) a reference in `env`'s registry names, if it is in that registry. */
export function imageOf(env: EnvironmentConfig, value: string): string | undefined {
  const prefix = `${registryUrl(env)}/`;
  return value.startsWith(prefix) ? /^[^:@]*/.exec(value.slice(prefix.length))![0] : undefined;
}

/** Throws a ConfigError naming the variable unless `value` is acceptable. */
export function validateImage(env: EnvironmentConfig, variable: string, image: string, value: string | undefined): string {
  const problem = imageProblem(env, image, value);
  check(problem === undefined, `${env.name} image variable ${variable}`, value ?? null, problem as string);
  return value as string;
}

/** What keeps one image variable of a tfvars file from deploying. */
export type TfvarsProblem =
  | { readonly kind: "missing"; readonly variable: string; readonly fix: string }
  | { readonly kind: "invalid"; readonly variable: string; readonly value: string; readonly fix: string }
  | { readonly kind: "unknown"; readonly variable: string; readonly value: string };

/**
 * Whether the image values of a tfvars file deploy in `env`: empty when they
 * do, else, in catalog order, each service whose variable is missing or
 * invalid, then each variable no service of `services` has. Synth and the ops
 * commands that write or restore a tfvars file decide with it.
 */
export function tfvarsProblems(
  env: EnvironmentConfig,
  values: ReadonlyMap<string, string>,
  services: readonly { readonly name: string; readonly image: string }[],
): TfvarsProblem[] {
  const problems: TfvarsProblem[] = [];
  for (const service of services) {
    const variable = imageVariableName(service.name);
    const value = values.get(variable);
    const fix = imageProblem(env, service.image, value);
    if (fix === undefined) continue;
    problems.push(value === undefined ? { kind: "missing", variable, fix } : { kind: "invalid", variable, value, fix });
  }
  const known = new Set(services.map((s) => imageVariableName(s.name)));
  for (const [variable, value] of values) if (!known.has(variable)) problems.push({ kind: "unknown", variable, value });
  return problems;
}

/**
 * The OpenTofu expression checking variable `variable` against the pattern,
 * in Terraform JSON syntax: every JSON string is a template there, so the
 * expression is one `${…}` interpolation (a bare `can(…)` would be a literal
 * string, which the core rejects as a condition that refers to nothing).
 * Inside it the pattern is an HCL string literal, so its backslashes are
 * doubled; it has no `${` or `%{` of its own (`$` is only its final anchor).
 */
export function imageCondition(env: EnvironmentConfig, image: string, variable: string): string {
  const literal = imagePattern(env, image).replace(/\\/g, "\\\\");
  return `\${can(regex("${literal}", var.${variable}))}`;
}
