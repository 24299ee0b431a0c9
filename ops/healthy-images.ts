/**
 * The record of the last image of each service that passed its health check
 * in an environment: `environments/<env>.healthy.json`, committed to the
 * deploy branch by the gateway apply after a passing health check, and read
 * by the next run that fails one (`mark-healthy`, `restore-healthy`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ServiceDefinition } from "../catalog";
import type { EnvironmentConfig } from "../environments";
import { imageProblem, imageRule } from "../lib/images";
import { healthyImagesFile, imageRepositoryPath } from "../lib/naming";
import { OperationError, UsageError } from "./cli";

/** One service's last image that passed its health check. */
export interface HealthyImage {
  /** Full image reference, as in the tfvars file. */
  readonly image: string;
  /** When the check passed (ISO 8601). */
  readonly passedAt: string;
  /** Commit of this repository the passing apply was planned from. */
  readonly commit?: string;
  /** The run whose check passed. */
  readonly run?: string;
}

/** Service name -> its last healthy image. */
export type HealthyImages = Readonly<Record<string, HealthyImage>>;

/** Path of the record in `dir`. */
export function healthyImagesPath(env: EnvironmentConfig, dir: string): string {
  return path.join(dir, healthyImagesFile(env));
}

/** Reads the record; `{}` when there is none yet. A malformed file is a UsageError naming it. */
export function readHealthyImages(env: EnvironmentConfig, dir: string): HealthyImages {
  const file = healthyImagesPath(env, dir);
  if (!fs.existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${(error as Error).message}); fix it or delete it (the next passing health check writes it again)`);
  }
  const ok =
    typeof data === "object" &&
    data !== null &&
    !Array.isArray(data) &&
    Object.values(data).every((v) => typeof v === "object" && v !== null && typeof (v as HealthyImage).image === "string" && typeof (v as HealthyImage).passedAt === "string");
  if (!ok) throw new UsageError(`${file} is not a record of healthy images; expect {"<service>": {"image": "...", "passedAt": "..."}}, or delete it`);
  return data as HealthyImages;
}

/** Writes the record through a temporary file and a rename, so a reader never sees half of it. */
export function writeHealthyImages(env: EnvironmentConfig, dir: string, images: HealthyImages): string {
  const file = healthyImagesPath(env, dir);
  const temporary = `${file}.${process.pid}.tmp`;
  const sorted = Object.fromEntries(Object.keys(images).sort().map((k) => [k, images[k]]));
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(sorted, null, 2)}\n`);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new OperationError(`cannot write ${file}: ${(error as Error).message}`);
  }
  return file;
}

/** The `--tag` or `--digest` of set-image that yields `image`; throws a UsageError if `image` is not one of the service's images. */
export function imageFlags(env: EnvironmentConfig, service: ServiceDefinition, image: string, source: string): { tag: string } | { digest: string } {
  const repository = imageRepositoryPath(env, service.image);
  if (imageProblem(env, service.image, image) !== undefined) {
    throw new UsageError(`${source}: ${JSON.stringify(image)} is not an image of ${service.name} (${imageRule(env, service.image)})`);
  }
  const rest = image.slice(repository.length);
  return rest.startsWith("@") ? { digest: rest.slice(1) } : { tag: rest.slice(1) };
}
