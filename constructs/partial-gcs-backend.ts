import type { Construct } from "constructs";
import { TerraformBackend, type TerraformRemoteState } from "../lib/cdk";

/**
 * A `gcs` backend block with no attributes: `tofu init
 * -backend-config=<file>` supplies bucket and prefix. cdktf's GcsBackend
 * requires a bucket, and a stack without any backend gets a local one.
 */
export class PartialGcsBackend extends TerraformBackend {
  constructor(scope: Construct) {
    super(scope, "backend", "gcs");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }

  getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error(
      "a partial gcs backend cannot be read from another stack; take the value from the environment config instead of a cross-stack reference",
    );
  }
}
