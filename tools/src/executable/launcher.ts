// How `npm run check --each` hands its bounds to the launcher (run-bounded.ts), which the
// lesson's harness puts before every program given: the launcher's words, its settings, and the
// mark of the lines it prints about a limit reached.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { BOUNDED } from "../../shared/check/under-test.ts";
import { BOUNDS, type Bounds } from "./bounds.ts";

let built: Promise<string> | undefined;

/** The launcher compiled once per run into one file: a start costs Node's, not tsx's. */
function launcherFile(): Promise<string> {
  built ??= (async () => {
    const outfile = join(temporaryFolder("launcher"), "run-bounded.mjs");
    await build({
      entryPoints: [fileURLToPath(new URL("run-bounded.ts", import.meta.url))],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node}`,
      logLevel: "silent",
    });
    return outfile;
  })();
  return built;
}

/** The environment that makes a check start every program given under `bounds`. */
export async function boundedEnvironment(bounds: Bounds): Promise<Record<string, string>> {
  return {
    [BOUNDED.launcher]: JSON.stringify([process.execPath, await launcherFile()]),
    [BOUNDED.mark]: randomUUID(),
    [BOUNDS]: JSON.stringify(bounds),
  };
}
