import { CloudRunV2Service, type CloudRunV2ServiceTemplateContainers } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import type { Construct, IConstruct } from "constructs";
import { SERVICES } from "../../catalog";
import { staging, type EnvironmentConfig } from "../../environments";
import { AnnotationMetadataEntryType, TerraformStack, Testing, type App } from "../../lib/cdk";
import { imageRepositoryPath, serviceLabels, type StackKind } from "../../lib/naming";
import { applyPolicy } from "../../policy";
import { EnvironmentStack } from "../../stacks/environment-stack";

/** An environment stack holding whatever a test puts in it. */
export class TestStack extends EnvironmentStack {
  constructor(scope: Construct, environment: EnvironmentConfig, kind: StackKind = "foundation") {
    super(scope, kind, environment);
  }
}

/** Staging with the backends closed, so only deliberate findings appear. */
export const LOCKED: EnvironmentConfig = { ...staging, invoker: { unauthenticatedBackends: false } };

export type Level = "error" | "warning" | "info";
export interface Annotation {
  readonly path: string;
  readonly level: Level;
  readonly message: string;
}

const LEVELS: Record<string, Level> = {
  [AnnotationMetadataEntryType.ERROR]: "error",
  [AnnotationMetadataEntryType.WARN]: "warning",
  [AnnotationMetadataEntryType.INFO]: "info",
};

/** Every annotation under `scope`, in tree order. */
export function annotationsOf(scope: IConstruct): Annotation[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata.filter((m) => m.type in LEVELS).map((m) => ({ path: c.node.path, level: LEVELS[m.type], message: String(m.data) })),
  );
}

/** The annotations of one rule, e.g. `MM-IAM-1`. */
export function findingsOf(scope: IConstruct, ruleId: string): Annotation[] {
  return annotationsOf(scope).filter((a) => a.message.startsWith(`[${ruleId}] `));
}

/**
 * Builds a stack of `env` with `build`, runs the policy pack over it (as
 * `Testing.synth` does, without validations) and returns the stack.
 */
export function policyStack(build: (stack: TestStack) => void, env: EnvironmentConfig = LOCKED, app: App = Testing.app()): TestStack {
  const stack = new TestStack(app, env);
  build(stack);
  applyPolicy(stack);
  Testing.synth(stack);
  return stack;
}

/** Options that break one property of an otherwise compliant service. */
export interface ServiceOptions {
  readonly image?: string;
  readonly serviceAccount?: string | null;
  readonly container?: Partial<CloudRunV2ServiceTemplateContainers>;
  readonly maxInstanceCount?: number | null;
  readonly labels?: Record<string, string>;
  readonly deletionProtection?: boolean;
}

/**
 * A Cloud Run v2 service that passes every rule in the environment of `scope`'s stack:
 * its own account, a registry image, a startup probe, a cap, the labels.
 */
export function compliantService(scope: Construct, id: string, options: ServiceOptions = {}): CloudRunV2Service {
  const env = (TerraformStack.of(scope) as EnvironmentStack).environment;
  const account = new ServiceAccount(scope, `${id}-account`, { accountId: `${id}-account` });
  return new CloudRunV2Service(scope, id, {
    name: id,
    location: env.region,
    deletionProtection: options.deletionProtection ?? env.deletionProtection,
    labels: options.labels ?? serviceLabels(env, id),
    template: {
      serviceAccount: options.serviceAccount === null ? undefined : (options.serviceAccount ?? account.email),
      scaling: options.maxInstanceCount === null ? { minInstanceCount: 1 } : { maxInstanceCount: options.maxInstanceCount ?? 4 },
      containers: [
        {
          image: options.image ?? `${imageRepositoryPath(env, SERVICES[0].image)}:v1.0.0-abc1234`,
          startupProbe: { tcpSocket: { port: 8000 } },
          ...options.container,
        },
      ],
    },
  });
}

/** The "what was found" part of a policy message: `[ID] <description>: <found>. Fix: <hint>`. */
export function foundOf(annotation: Annotation): string {
  const { message } = annotation;
  return message.slice(message.indexOf(": ") + 2, message.lastIndexOf(". Fix: "));
}
