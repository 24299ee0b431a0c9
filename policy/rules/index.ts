import type { PolicyRule } from "../types";
import { IAM_PROJECT_ROLES } from "./iam-project-roles";
import { IAM_PUBLIC_INVOKER } from "./iam-public-invoker";
import { IMG_ENVIRONMENT_REGISTRY } from "./img-environment-registry";
import { PROD_DELETION_PROTECTION } from "./prod-deletion-protection";
import { PROD_NO_FORCE_DESTROY } from "./prod-no-force-destroy";
import { RUN_ENVIRONMENT_LABELS } from "./run-environment-labels";
import { RUN_MAX_INSTANCES } from "./run-max-instances";
import { RUN_OWN_SERVICE_ACCOUNT } from "./run-own-service-account";
import { RUN_STARTUP_PROBE } from "./run-startup-probe";
import { SEC_PLAIN_SECRET_ENV } from "./sec-plain-secret-env";

export {
  IAM_PROJECT_ROLES,
  IAM_PUBLIC_INVOKER,
  IMG_ENVIRONMENT_REGISTRY,
  PROD_DELETION_PROTECTION,
  PROD_NO_FORCE_DESTROY,
  RUN_ENVIRONMENT_LABELS,
  RUN_MAX_INSTANCES,
  RUN_OWN_SERVICE_ACCOUNT,
  RUN_STARTUP_PROBE,
  SEC_PLAIN_SECRET_ENV,
};

/** The MindMirror pack: every rule, in id order. */
export const MINDMIRROR_RULES: readonly PolicyRule[] = [
  IAM_PUBLIC_INVOKER,
  IAM_PROJECT_ROLES,
  IMG_ENVIRONMENT_REGISTRY,
  PROD_DELETION_PROTECTION,
  PROD_NO_FORCE_DESTROY,
  RUN_OWN_SERVICE_ACCOUNT,
  RUN_STARTUP_PROBE,
  RUN_MAX_INSTANCES,
  RUN_ENVIRONMENT_LABELS,
  SEC_PLAIN_SECRET_ENV,
];
