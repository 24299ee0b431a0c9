import { createHash } from "node:crypto";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";
import type { Grantee } from "../lib/grantee";
import { terraformName } from "../lib/naming";
import { movedFrom } from "./import-existing";

/**
 * A Cloud Run service that can be granted to: one deployed in this stack
 * (`CloudRunService`), or one of another stack by its name
 * (`CloudRunService.fromName`). Both grant through the one `grantInvoke`.
 */
export abstract class InvokableService extends Construct {
  abstract readonly environment: EnvironmentConfig;
  /** Base name (`agent-service`), for the addresses of its grants. */
  abstract readonly baseName: string;
  /** Cloud Run name: a name, or the service's `name` attribute. */
  abstract readonly serviceName: string;

  /** Lets `grantee` invoke this service. */
  grantInvoke(grantee: Grantee): InvokerGrant {
    return new InvokerGrant(this, `invoker-${grantee.grantName}`, { service: this, grantee, legacyPath: this.legacyGrantPath(grantee) });
  }

  /** Where the grant to `grantee` sat when cdktf named it by a hash. @default the grant's own path */
  protected legacyGrantPath(_grantee: Grantee): readonly string[] | undefined {
    return undefined;
  }
}

export interface InvokerGrantProps {
  readonly service: InvokableService;
  readonly grantee: Grantee;
  /**
   * Construct path (below the stack) this binding had when cdktf named it by
   * a hash; a `moved` block carries the binding from that address to its
   * readable one, so the rename never destroys and re-creates the grant.
   * @default the grant's own path
   */
  readonly legacyPath?: readonly string[];
}

/**
 * Lets one grantee invoke one Cloud Run service (`roles/run.invoker`,
 * additive `_iam_member`, never an authoritative policy), at the readable
 * address `<service>_invoker_<grantee>` (`agent_service_invoker_journal_service`).
 * Created through `grantInvoke` on a {@link CloudRunService} or on a service
 * of another stack from `CloudRunService.fromName`.
 */
export class InvokerGrant extends Construct {
  readonly binding: CloudRunV2ServiceIamMember;

  constructor(scope: Construct, id: string, props: InvokerGrantProps) {
    super(scope, id);
    const { service, grantee } = props;
    this.binding = new CloudRunV2ServiceIamMember(this, "binding", {
      project: service.environment.project.id,
      location: service.environment.region,
      name: service.serviceName,
      role: "roles/run.invoker",
      member: grantee.member,
    });
    this.binding.overrideLogicalId(invokerAddressName(service.baseName, grantee.grantName));
    const legacyPath = props.legacyPath ?? [...stackRelativePath(this), "binding"];
    movedFrom(this.binding, `${this.binding.terraformResourceType}.${hashedLogicalId(legacyPath)}`);
  }
}

/** `agent_service_invoker_journal_service`, `gateway_invoker_public`. */
export function invokerAddressName(service: string, grantee: string): string {
  return terraformName(service, "invoker", grantee);
}

function stackRelativePath(scope: Construct): string[] {
  // The first scope is the stack: logical ids are computed below it.
  return scope.node.scopes.slice(2).map((c) => c.node.id);
}

/**
 * The logical id cdktf gave a resource at `path` before its id was
 * overridden: the de-duplicated path joined by `_`, then the first 8 hex
 * digits of the md5 of the path joined by `/` (cdktf's `makeUniqueId`).
 * Kept to name the `from` of the moved blocks; the tests check it against
 * the addresses the earlier code wrote.
 */
export function hashedLogicalId(path: readonly string[]): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "");
  const human: string[] = [];
  for (const part of path) if (human.length === 0 || !human[human.length - 1].endsWith(part)) human.push(part);
  const hash = createHash("md5").update(path.join("/")).digest("hex").slice(0, 8).toUpperCase();
  return `${human.map(clean).join("_").slice(0, 240)}_${hash}`;
}
