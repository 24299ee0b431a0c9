import type { Construct } from "constructs";
import { TerraformElement, type TerraformResource } from "../lib/cdk";

/**
 * Adopts an object that already exists in the cloud into `resource` with an
 * OpenTofu `import` block (`{ id, to }`), so the first apply takes it over
 * instead of failing with "already exists". Once the resource is in state the
 * block is a no-op.
 *
 * cdktf's own `resource.importFrom(id)` writes the same block but also adds a
 * validation that runs `terraform version` for every import at synth: about
 * 60 ms each, and a failed synth wherever only `tofu` is installed, as in the
 * pipeline.
 */
export function importExisting(resource: TerraformResource, importId: string): void {
  new AddressBlock(resource, "import", resource, (to) => ({ import: [{ id: importId, to }] }));
}

/**
 * Carries the state of `resource` over from its earlier address `from`
 * (`google_x.old_name`) with a `moved` block, so a rename is a move in the
 * plan, never a destroy and a create. Where `from` is not in the state the
 * block is a no-op. cdktf's `moveFromId` would add the same `terraform
 * version` validation as `importFrom`.
 */
export function movedFrom(resource: TerraformResource, from: string): void {
  new AddressBlock(resource, "moved", resource, (to) => ({ moved: [{ from, to }] }));
}

class AddressBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly target: TerraformResource,
    private readonly render: (to: string) => Record<string, unknown>,
  ) {
    super(scope, id);
  }

  /** The block; the address is read at synth, after any `overrideLogicalId`. */
  private block(): Record<string, unknown> {
    return this.render(`${this.target.terraformResourceType}.${this.target.friendlyUniqueId}`);
  }

  override toTerraform(): unknown {
    return this.block();
  }

  override toHclTerraform(): unknown {
    return this.block();
  }
}
