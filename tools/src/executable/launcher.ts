// How `npm run check --each` hands its bounds to the launcher (run-bounded.ts), which the
// lesson's harness puts before every program given: the launcher's words, its settings, and the
// mark of the lines it prints about a limit reached.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { BOUNDED } from "../../shared/check/under-test.ts";
import { BOUNDS, type Bounds } from "./bounds.ts";

let built: Promise<string> | undefined;

/** The launcher's file name, compiled. */
export const LAUNCHER_FILE = "run-bounded.mjs";

export const LAUNCHER_ENTRY = fileURLToPath(new URL("run-bounded.ts", import.meta.url));

/** How esbuild compiles a program of tools into one file of JavaScript. */
export const ONE_FILE: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  logLevel: "silent",
};

/**
 * The launcher compiled once per run into one file: a start costs Node's, not tsx's. The
 * Gradescope bundle ships it compiled, beside its own compiled checker (autograder/).
 */
function launcherFile(): Promise<string> {
  const shipped = fileURLToPath(new URL(LAUNCHER_FILE, import.meta.url));
  if (existsSync(shipped)) return Promise.resolve(shipped);
  built ??= (async () => {
    const { build } = await import("esbuild");
    const outfile = join(temporaryFolder("launcher"), LAUNCHER_FILE);
    await build({
      ...ONE_FILE,
      entryPoints: [LAUNCHER_ENTRY],
      outfile,
      target: `node${process.versions.node}`,
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
