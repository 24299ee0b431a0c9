/**
 * Every pattern a validator checks a value against, each written once: the
 * environments, the catalog, the names, the repository config, the policy
 * rules and the ops commands import them from here, so two validators of the
 * same kind of value cannot drift apart. Each error message saying what a
 * pattern allows sits beside its check.
 */

// Environments and GCP.
/** An environment name, and so part of file names (`<name>.auto.tfvars`): 2-20 lowercase letters or digits, starting with a letter. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{1,19}$/;
/** GCP project id; an IAM service-account id has the same form. */
export const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** IAM service-account id: 6-30 characters, lowercase, starting with a letter. */
export const SERVICE_ACCOUNT_ID = PROJECT_ID;
export const PROJECT_NUMBER = /^[1-9][0-9]{5,18}$/;
export const REGION = /^[a-z]+-[a-z]+[1-9][0-9]?$/;
/** A conservative subset of git's ref-name rules. */
export const GIT_BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)(?!.*[/.]$)[A-Za-z0-9._/-]{1,100}$/;
/** `""` or `-` followed by lowercase letters or digits, such as `-staging`. */
export const NAME_SUFFIX = /^(?:-[a-z0-9]+)*$/;
/** A GCS bucket name as GCS allows it, dots included. */
export const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
/**
 * A GCS bucket name this project builds (lib/naming): 3-63 lowercase letters,
 * digits, '-' or '_', starting and ending with a letter or digit; no dots.
 */
export const BUILT_BUCKET_NAME = /^[a-z0-9](?:[a-z0-9_-]{1,61})[a-z0-9]$/;
/** A GCS location as the API reports it: a region, dual-region or multi-region in upper case. */
export const GCS_LOCATION = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
/** Object path segments without leading or trailing '/', such as a state prefix `envs/staging`. */
export const PATH_SEGMENTS = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
export const ARTIFACT_REPOSITORY = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
/** A Workload Identity pool or provider id. */
export const WORKLOAD_IDENTITY_ID = /^[a-z][a-z0-9-]{2,30}[a-z0-9]$/;
export const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
export const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
/** Cloud Run: lowercase letters, digits and hyphens, starting with a letter, at most 49 characters. */
export const CLOUD_RUN_NAME = /^[a-z](?:[a-z0-9-]{0,47}[a-z0-9])?$/;
/** Secret Manager secret id. */
export const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
/** `${` or `%{`: a template sequence, which OpenTofu would evaluate in a string. */
export const TEMPLATE_SEQUENCE = /[$%]\{/;

// GitHub.
/** A GitHub environment name. */
export const GITHUB_ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;
/** GitHub login rules: 1-39 letters, digits or single hyphens, not starting or ending with one. */
export const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub repository names: up to 100 letters, digits, '.', '_' or '-'. */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
/** `-` followed by lowercase letters or digits, such as `-ci`. */
export const REQUIRED_SUFFIX = /^-[a-z0-9]+$/;
/** A comma would split the label in `gh --label a,b`; GitHub allows 50 characters. */
export const ISSUE_LABEL = /^[^,\s][^,]{0,49}$/;
export const HEX_COLOR = /^[0-9a-fA-F]{6}$/;
/** A path inside the repository: no absolute path, no `..`. */
export const REPOSITORY_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]{1,200}$/;
/** Where this project sits in the repository: one or more plain folder names. */
export const FOLDER_PATH = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;

// The catalog.
export const SERVICE_NAME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
export const IMAGE_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** A container's environment variable name. */
export const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const CPU = /^(?:[1-8]|[1-9][0-9]{0,3}m)$/;
export const MEMORY = /^[1-9][0-9]*(?:Mi|Gi)$/;
/** A bucket's base name; the full name (`{name}-{project}-{env}`) is checked per environment in lib/naming. */
export const BUCKET_BASE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** A predefined Cloud Storage role: what a bucket grant may give, nothing outside storage. */
export const STORAGE_ROLE = /^roles\/storage\.[A-Za-z]+$/;
/** A predefined IAM role's name; anything else in a CI role list is a custom role id. */
export const PREDEFINED_ROLE = /^roles\/[A-Za-z0-9_.]+$/;
/** IAM's rule for custom role ids. */
export const CUSTOM_ROLE_ID = /^[A-Za-z0-9_.]{3,64}$/;
/** An absolute HTTP path of printable characters, such as `/health`. */
export const HEALTH_PATH = /^\/[\x21-\x7e]*$/;

// What the policy rules look for in the synthesized configuration.
/** A service-account member, written out or as a reference to a `google_service_account`. */
export const SERVICE_ACCOUNT_MEMBER = /^serviceAccount:|\$\{(data\.)?google_service_account\./;
/** The default compute and App Engine accounts. */
export const DEFAULT_ACCOUNT = /(-compute@developer|@appspot)\.gserviceaccount\.com$/;
/** A name segment ending like a secret: `KEY`, `APIKEY`, `SECRET`, `TOKENS`, `PASSWORD`. */
export const SECRET_SEGMENT = /(KEY|SECRET|TOKEN|PASSWORD|PASSWD)S?$/i;
/**
 * A URL with user info (`postgres://app:pw@db`, `redis://:pw@cache`, `https://token@host`),
 * anywhere in the value: `jdbc:postgresql://app:pw@db` carries one after a prefix.
 */
export const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@/i;
/** A whole value that is a reference to one variable: `${var.<name>}`, the name captured. */
export const VARIABLE_REFERENCE = /^\$\{var\.([\w-]+)\}$/;

// What the ops commands take.
/**
 * An https URL of a deployed service. Deliberately narrower than what `new URL`
 * accepts: the list is used unquoted in `$(...)`, so spaces, quotes or glob
 * characters would split or expand.
 */
export const HTTPS_URL = /^https:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~/-]*)?$/;
/** A link, such as a workflow run's URL. */
export const HTTPS_LINK = /^https:\/\/[^\s"']+$/;
/** A git commit id, abbreviated or full. */
export const COMMIT_SHA = /^[0-9a-f]{7,40}$/;
/** The commit a release tag ends with: `v1.0.0-252ad69` -> `252ad69`. */
export const TAG_COMMIT = /-([0-9a-f]{7,40})$/;
/** The contents of VERSION: what follows `v` in a release tag. */
export const VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]{0,60}$/;
/** A duration such as `500ms`, `10s` or `2m`. */
export const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
/** A URL path and query. */
export const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/?%-]*$/;

/** `text` as a regular expression matching exactly it. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
