/**
 * `npm run tofu-check [-- --stacks <dir>] [--require]`: the offline OpenTofu
 * check on every synthesized stack folder (default `cdktf.out/stacks`).
 * Exit 0 when every stack passes init, validate and plan; 1 when one fails;
 * 2 on bad input (no stack folder, a broken fixture, no binary with --require).
 */
import { parseArgs } from "node:util";
import { checkStacks, findBinary, formatReports, TofuCheckError } from "./harness";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stacks: { type: "string", default: "cdktf.out/stacks" }, require: { type: "boolean", default: false } } });
  const binary = findBinary();
  if (binary === undefined) {
    const line = "OpenTofu check skipped: no tofu or terraform on PATH; install OpenTofu (https://opentofu.org/docs/intro/install/)";
    if (values.require) throw new TofuCheckError(line.replace("skipped", "cannot run"));
    console.log(line);
    return 0;
  }
  const started = Date.now();
  const reports = await checkStacks({ stacksDir: values.stacks!, binary });
  console.log(formatReports(reports, binary));
  const failed = reports.filter((r) => !r.ok);
  console.log(`${reports.length - failed.length} of ${reports.length} stacks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error instanceof TofuCheckError ? error.message : error.stack);
    process.exit(error instanceof TofuCheckError ? 2 : 1);
  },
);
