// `npm run check -- <args>` as the tools' tests run it: from the repository's root, as if typed
// in `folder` (npm's INIT_CWD), where the results and the failed steps' diagrams go.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StepResult } from "../../shared/check/reporter.js";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { repositoryRoot, studentEnvironment } from "./lessons.ts";
import { runProcess } from "./process.ts";

export function runCheck(
  args: string[],
  folder: string,
  { timeoutMs = 120_000, env = {} }: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
) {
  const command = join(repositoryRoot, "tools/src/commands/check.ts");
  return runProcess(process.execPath, ["--import", "tsx", command, ...args], {
    cwd: repositoryRoot,
    env: { ...studentEnvironment(), INIT_CWD: folder, ...env },
    timeoutMs,
  });
}

/**
 * `npm run check -- <lesson> ...args`, with --json read back; typed in a folder of its own, where
 * the failed steps' diagrams go.
 */
export async function checkLesson(
  lesson: number,
  args: string[],
  folder = temporaryFolder("typed-in"),
  env: NodeJS.ProcessEnv = {},
) {
  const json = join(temporaryFolder("checker"), "results.json");
  const finished = await runCheck([String(lesson), ...args, "--json", json], folder, { env });
  const { steps } = JSON.parse(readFileSync(json, "utf8")) as { steps: StepResult[] };
  const named = (status: StepResult["status"]) =>
    steps.filter((step) => step.status === status).map((step) => step.name);
  return { ...finished, steps, passed: named("pass"), failed: named("fail") };
}
