/**
 * The one place that imports the CDKTF core library.
 *
 * CDKTF 0.21 is the last HashiCorp release; its community fork (CDK Terrain,
 * `cdktn`) keeps the same API. Every other module imports these names from
 * here, so moving to the fork is a change to this file and package.json.
 */
export {
  AnnotationMetadataEntryType,
  Annotations,
  App,
  Aspects,
  DefaultTokenResolver,
  Fn,
  GcsBackend,
  StringConcat,
  TerraformBackend,
  TerraformElement,
  TerraformOutput,
  TerraformRemoteState,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
  Tokenization,
} from "cdktf";
export type { IAspect, IStackSynthesizer, ISynthesisSession, ITerraformDependable } from "cdktf";
