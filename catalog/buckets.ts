import type { BucketDefinition } from "./types";

/**
 * The buckets the catalog's services use, one per purpose; each environment
 * has its own (`traditions-mindmirror-69-staging`). The foundation stack
 * manages them and grants each service the roles its catalog entry names.
 */
export const BUCKETS: readonly BucketDefinition[] = [
  // The traditions prompts agent and journal read (GCS_BUCKET_NAME); the agent fails at start without it.
  { name: "traditions", adopt: true },
];
