import * as fs from "node:fs";
import * as path from "node:path";
import type { TerraformStack } from "../lib/cdk";

/**
 * Extra files written next to a stack's `cdk.tf.json` when it is synthesized
 * (tfvars, backend config), so `cdktf.out/stacks/<stack>` is a complete
 * OpenTofu working directory. Hooked into the stack's synthesizer, so
 * `cdktf synth`, `app.synth()` and `Testing.fullSynth` all write them.
 */
export class StackFiles {
  private readonly files = new Map<string, string>();

  constructor(stack: TerraformStack) {
    const inner = stack.synthesizer;
    stack.synthesizer = {
      synthesize: (session) => {
        inner.synthesize(session);
        const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
        for (const [name, contents] of this.files) fs.writeFileSync(path.join(dir, name), contents);
      },
    };
  }

  /** Adds (or replaces) a file of the stack folder. */
  add(name: string, contents: string): void {
    if (name.includes("/") || name === "cdk.tf.json") {
      throw new Error(`stack file ${JSON.stringify(name)} must be a plain file name other than cdk.tf.json`);
    }
    this.files.set(name, contents);
  }

  /** The files to write, by name. */
  get entries(): ReadonlyMap<string, string> {
    return this.files;
  }
}
