/**
 * The service catalog: one entry per deployable. Adding a service is adding an
 * entry here (and its image to each environment's tfvars file); nothing else
 * names it.
 */
import type { EnvironmentConfig } from "../environments/types";
import { bucketName } from "../lib/naming";
import type { Adoption, ImageBuild, ServiceDefinition } from "./types";

/** Env values that differ per environment. */
const fromEnv = {
  environment: (e: EnvironmentConfig) => e.name,
  logLevel: (e: EnvironmentConfig) => e.app.logLevel,
  debug: (e: EnvironmentConfig) => String(e.app.debug),
  projectId: (e: EnvironmentConfig) => e.project.id,
  traditionsBucket: (e: EnvironmentConfig) => bucketName(e, "traditions"),
};

/** The Cloud Run service and its runtime account exist in the live projects. */
const LIVE: Adoption = { service: true, account: true };
const CELERY_WORKER_URL =
  "the celery worker it points at is not deployed (journal falls back to its default when it is unset)";

const FAUX_MESH = {
  FAUX_MESH_USER_ID: "00000000-0000-0000-0000-000000000001",
  FAUX_MESH_SUPABASE_ID: "00000000-0000-0000-0000-000000000002",
};
const DB_POOL = {
  DB_POOL_SIZE: "10",
  DB_MAX_OVERFLOW: "20",
  DB_POOL_TIMEOUT: "10",
  DB_POOL_RECYCLE: "1800",
};
const COMMON = {
  LOG_LEVEL: fromEnv.logLevel,
  ENVIRONMENT: fromEnv.environment,
  DEBUG: fromEnv.debug,
};
const SUPABASE = ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY"];
const SMALL = { cpu: "1", memory: "512Mi" };

/** Sources every Python service's Dockerfile copies (`COPY src/shared ...`). */
const SHARED = "src/shared/";
/** A Python service built from the repository root with `<folder>/Dockerfile`, as each backend's Dockerfile reads today. */
const python = (folder: string): ImageBuild => ({ dockerfile: `${folder}/Dockerfile`, context: ".", inputs: [`${folder}/`, SHARED] });

const BACKENDS: readonly ServiceDefinition[] = [
  {
    name: "agent-service",
    image: "agent_service",
    build: python("src/agent_service"),
    port: 8000,
    stack: "services",
    env: {
      GCS_BUCKET_NAME: fromEnv.traditionsBucket,
      PROMPT_STORAGE_TYPE: "gcs",
      YAML_STORAGE_PATH: "/app/prompts",
      TRADITION_DISCOVERY_MODE: "gcs-only",
      GOOGLE_CLOUD_PROJECT: fromEnv.projectId,
      LLM_PROVIDER: "openai",
      OPENAI_MODEL: "gpt-4o-mini",
      EMBEDDING_PROVIDER: "openai",
      EMBEDDING_MODEL: "text-embedding-3-small",
      EMBEDDING_VECTOR_SIZE: "1536",
      I_AM_IN_A_DOCKER_CONTAINER: "1",
      ...FAUX_MESH,
      ...COMMON,
    },
    secretEnv: ["DATABASE_URL", "REDIS_URL", "QDRANT_URL", "QDRANT_API_KEY", "OPENAI_API_KEY", ...SUPABASE, "CELERY_WORKER_URL"],
    deprecatedEnv: { CELERY_WORKER_URL },
    buckets: [{ bucket: "traditions", roles: ["roles/storage.objectAdmin", "roles/storage.legacyBucketReader"] }],
    calls: ["journal-service"],
    adopt: LIVE,
  },
  {
    name: "journal-service",
    image: "journal_service",
    build: python("journal_service"),
    port: 8000,
    stack: "services",
    env: {
      GCS_BUCKET_NAME: fromEnv.traditionsBucket,
      USE_GCS_EMULATOR: "false",
      TRADITION_DISCOVERY_MODE: "gcs-only",
      GOOGLE_CLOUD_PROJECT: fromEnv.projectId,
      I_AM_IN_A_DOCKER_CONTAINER: "1",
      ...FAUX_MESH,
      ...COMMON,
    },
    secretEnv: ["DATABASE_URL", "REDIS_URL", ...SUPABASE, "SUPABASE_CA_CERT_PATH", "REINDEX_SECRET_KEY", "CELERY_WORKER_URL"],
    deprecatedEnv: { CELERY_WORKER_URL },
    buckets: [{ bucket: "traditions", roles: ["roles/storage.objectViewer"] }],
    calls: ["agent-service", "users-service"],
    adopt: LIVE,
  },
  {
    name: "habits-service",
    image: "habits_service",
    build: python("habits_service"),
    port: 8003,
    stack: "services",
    env: {
      ENVIRONMENT: fromEnv.environment,
      LOG_LEVEL: fromEnv.logLevel,
      ...DB_POOL,
      DB_POOL_PRE_PING: "true",
      UYE_PROGRAM_TEMPLATE_ID: "be925a11-edfa-4208-9924-d0ecae956aac",
      MINDMIRROR_PROGRAM_TEMPLATE_ID: "1b4fa08a-462b-445e-85a6-6da4d70c6ed",
      DAILY_JOURNALING_PROGRAM_TEMPLATE_ID: "1b4fa08a-462b-445e-85a6-6da4d70c6ed",
    },
    secretEnv: ["DATABASE_URL", "VOUCHERS_WEB_BASE_URL"],
    calls: [],
    // Runs as journal-service-<env> today: its own account is created, the service adopted.
    adopt: { service: true, account: false },
  },
  {
    name: "meals-service",
    image: "meals_service",
    build: python("meals_service"),
    port: 8000,
    stack: "services",
    env: {
      MEALS_HTTP_PORT: "8000",
      OFF_SEARCHALICIOUS_ENABLED: "true",
      OFF_USER_AGENT: "MindMirrorMeals/1.0 (+support@mindmirror.app)",
    },
    secretEnv: ["DATABASE_URL"],
    calls: [],
    resources: SMALL,
    adopt: LIVE,
  },
  {
    name: "movements-service",
    image: "movements_service",
    build: python("movements_service"),
    port: 8000,
    stack: "services",
    env: { MOVEMENTS_HTTP_PORT: "8000", ...DB_POOL },
    secretEnv: ["DATABASE_URL"],
    calls: [],
    resources: SMALL,
    adopt: LIVE,
  },
  {
    name: "practices-service",
    image: "practices_service",
    build: python("practices_service"),
    port: 8000,
    stack: "services",
    env: { API_VERSION: "0.1.0" },
    secretEnv: ["DATABASE_URL"],
    calls: ["users-service"],
    resources: SMALL,
    // Capped at 10 today, the only service with a maximum.
    scaling: { maxInstances: 10 },
    healthPath: "/health",
    adopt: LIVE,
  },
  {
    name: "users-service",
    image: "users_service",
    build: python("users_service"),
    port: 8000,
    stack: "services",
    env: { USERS_HTTP_PORT: "8000", ...DB_POOL, DB_POOL_PRE_PING: "true" },
    secretEnv: ["DATABASE_URL"],
    calls: ["agent-service", "journal-service", "habits-service", "meals-service", "movements-service"],
    resources: SMALL,
    // Scales to zero today (its module sets no minScale).
    scaling: { minInstances: 0 },
    adopt: LIVE,
  },
];

/** The GraphQL mesh gateway, in the gateway stack. */
const GATEWAY: ServiceDefinition = {
  name: "gateway",
  image: "mesh",
  build: {
    dockerfile: "mesh/Dockerfile",
    context: "mesh",
    // mesh-compose fetches every backend's /sdl during the build: a backend's change changes the gateway's schema.
    inputs: ["mesh/", ...new Set(BACKENDS.flatMap((b) => b.build.inputs))],
  },
  port: 4000,
  stack: "gateway",
  public: true,
  env: { ENVIRONMENT: fromEnv.environment, DEBUG: fromEnv.debug },
  secretEnv: ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_JWT_SECRET", "VOUCHERS_WEB_BASE_URL"],
  calls: ["agent-service", "journal-service", "habits-service", "meals-service"],
  bakedCalls: ["movements-service", "practices-service", "users-service"],
  // Hive Gateway's endpoint; the pipeline checks it after each gateway deploy. Probed by TCP, as today.
  healthPath: "/healthcheck",
  healthProbes: false,
  adopt: LIVE,
};

export const SERVICES: readonly ServiceDefinition[] = [...BACKENDS, GATEWAY];
