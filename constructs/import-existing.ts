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
  new ImportBlock(resource, "import", resource, importId);
}

class ImportBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly target: TerraformResource,
    private readonly importId: string,
  ) {
    super(scope, id);
  }

  /** The block; the address is read at synth, after any `overrideLogicalId`. */
  private block(): { import: { id: string; to: string }[] } {
    return { import: [{ id: this.importId, to: `${this.target.terraformResourceType}.${this.target.friendlyUniqueId}` }] };
  }

  override toTerraform(): unknown {
    return this.block();
  }

  override toHclTerraform(): unknown {
    return this.block();
  }
}
