// The copy-out check: a lesson folder copied alone to a fresh directory installs, passes its own
// tests, and runs as a pair there; on Node 22.18 and later, also with plain `node` and nothing
// installed. Run it: npm run copy-out [-- 03-course-lookup ...]  (default: every lesson)
import { rmSync } from "node:fs";
import { copyLessonTo } from "./copy-lesson.ts";
import { usageOnHelp } from "../lib/help.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  lessons,
  nodeRunsTypeScript,
  portFrom,
  readyLine,
  sceneOf,
  startNpm,
} from "../lib/lessons.ts";
import { studentEnvironment } from "../lib/lessons.ts";
import type { Lesson } from "../lib/lessons.ts";
import { startProcess, type StartOptions } from "../lib/process.ts";
import { temporaryFolder } from "../../shared/check/temporary.ts";

/** Copies a lesson as `npm run copy` does, to a new temporary directory outside the repository. */
function copyLesson(lesson: Lesson): string {
  return copyLessonTo(lesson, join(temporaryFolder("copy"), lesson.name));
}

/** Starts the copied pair with `start` and checks that the client succeeds. */
async function runPair(
  lesson: Lesson,
  start: (program: "server" | "client", args: string[]) => ReturnType<typeof startProcess>,
): Promise<void> {
  const scene = sceneOf(lesson);
  const server = start("server", ["--port", "0"]);
  try {
    const port = portFrom(await server.waitForLine(readyLine, 30_000));
    const client = start("client", ["--port", port, ...(scene.clients[0] ?? [])]);
    const code = await client.exit(30_000);
    if (code !== 0 || !client.stdout.some((line) => scene.expect.test(line))) {
      throw new Error(
        `its client exited ${code}: ${[...client.stdout, ...client.stderr].join(" | ")}`,
      );
    }
  } finally {
    server.interrupt();
    await server.exit(5_000).catch(() => undefined);
  }
}

async function npmIn(folder: string, args: string[], log: (line: string) => void) {
  const options: StartOptions = { cwd: folder, env: studentEnvironment() };
  const npm = startNpm(args, options);
  const code = await npm.exit(5 * 60_000);
  if (code !== 0) {
    throw new Error(
      `npm ${args.join(" ")} failed in ${folder}:\n${[...npm.stdout, ...npm.stderr].join("\n")}`,
    );
  }
  // A student's first command ends quietly: no warning about install scripts to review.
  const warning = [...npm.stdout, ...npm.stderr].find((line) => line.includes("install-scripts"));
  if (warning !== undefined)
    throw new Error(`npm ${args.join(" ")} in ${folder} warned: ${warning}`);
  log(`npm ${args.join(" ")}: ok`);
  return npm.stdout;
}

/** Runs every step of the check for one lesson; throws with the step that failed. */
export async function checkCopyOut(lesson: Lesson, log: (line: string) => void = () => undefined) {
  const folder = copyLesson(lesson);
  try {
    // --prefer-offline: reuse npm's shared cache, so the check costs seconds, not downloads.
    await npmIn(folder, ["install", "--prefer-offline", "--no-audit", "--no-fund"], log);
    const output = await npmIn(folder, ["test"], log);
    const count = Number(/ℹ tests (\d+)/.exec(output.join("\n"))?.[1] ?? 0);
    if (count === 0) throw new Error(`npm test ran no tests in ${folder}`);
    log(`${count} tests passed in the copy`);

    const options = {
      cwd: folder,
      env: studentEnvironment(),
      detached: process.platform !== "win32",
    };
    await runPair(lesson, (program, args) => startNpm(["run", program, "--", ...args], options));
    log("npm run server + npm run client: ok");

    if (nodeRunsTypeScript) {
      rmSync(join(folder, "node_modules"), { recursive: true, force: true });
      await runPair(lesson, (program, args) =>
        startProcess(process.execPath, [`${program}.ts`, ...args], options),
      );
      log("node server.ts + node client.ts, nothing installed: ok");
    }
  } finally {
    rmSync(join(folder, ".."), { recursive: true, force: true });
  }
}

// Run directly: check the lessons named on the command line, or all of them.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  usageOnHelp(`Usage: npm run copy-out [-- <lesson folder name> ...]

Copies each lesson named (default: every lesson) alone to a new folder outside the repository,
and checks that it installs, passes its own npm test, and runs as a pair there; on Node 22.18
and later, also with plain node and nothing installed.`);
  const wanted = process.argv.slice(2);
  for (const lesson of lessons.filter(
    (each) => wanted.length === 0 || wanted.includes(each.name),
  )) {
    console.log(`Copy-out check: ${lesson.name}`);
    await checkCopyOut(lesson, (line) => {
      console.log(`  ${line}`);
    });
  }
}
