/**
 * `.github/dependabot.yml`: weekly updates of the pinned actions and of this
 * project's npm lock file. A Dependabot PR that moves an action edits
 * generated workflow files; the staleness test then fails until the new SHA
 * and release are copied into ACTION_PINS (workflows/toolchain.ts) and
 * `npm run workflows` is run on that PR.
 */
import { stringify } from "yaml";
import type { GithubConfig } from "../environments/github";
import { GENERATED_HEADER } from "./render";

/** Its file name under `.github/`. */
export const DEPENDABOT_FILE = "dependabot.yml";

/** The file text. */
export function dependabotConfig(github: GithubConfig): string {
  const weekly = { interval: "weekly" };
  return `${GENERATED_HEADER}\n${stringify(
    {
      version: 2,
      updates: [
        { "package-ecosystem": "github-actions", directory: "/", schedule: weekly, labels: ["dependencies"] },
        { "package-ecosystem": "npm", directory: `/${github.infraDirectory}`, schedule: weekly, labels: ["dependencies"], "open-pull-requests-limit": 5 },
      ],
    },
    { lineWidth: 0 },
  )}`;
}
