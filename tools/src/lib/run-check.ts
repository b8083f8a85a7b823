// `npm run check -- <args>` as the tools' tests run it: from the repository's root, as if typed
// in `folder` (npm's INIT_CWD), where the results and the failed steps' diagrams go.
import { join } from "node:path";
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
