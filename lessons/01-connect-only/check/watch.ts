// `npm run watch`: runs this lesson's steps now, and again each time a .ts file at the top of the
// lesson's folder (server.ts, client.ts, ...) or in common/ is saved, until Ctrl+C. (node --test
// --watch would only notice the test files, not server.ts.) After a save, the step that failed
// last runs first, on its own, so its verdict comes within a second or two; then every step.
// In an exercise, h and Enter runs `npm run hint`.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, watch } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { temporaryFolder } from "./temporary.ts";

const lessonFolder = new URL("..", import.meta.url);
const steps = [
  ...["--import", "tsx", "--test"],
  ...["--test-reporter=./check/reporter.js", "check/lesson.test.ts"],
];
/** Where the reporter notes the first failing step of each whole run (reporter.js). */
const lastFailure = join(temporaryFolder("watch"), "last-failure.json");
let running: ChildProcess | undefined;
let again = false;
let saved: NodeJS.Timeout | undefined;

/** The step that failed in the last whole run, if one did. */
function failedLastTime(): { name: string; number: number } | undefined {
  if (!existsSync(lastFailure)) return undefined;
  const text = readFileSync(lastFailure, "utf8");
  return text === "" ? undefined : (JSON.parse(text) as { name: string; number: number });
}

/** Runs the steps, `only` one of them when given; then calls `done` unless stopped by a save. */
function runSteps(done: () => void, only?: { name: string; number: number }): void {
  const focus =
    only === undefined
      ? []
      : [`--test-name-pattern=^${only.name.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}$`];
  const env = {
    ...process.env,
    SOCKET_LESSONS_WATCH_FILE: lastFailure,
    ...(only === undefined ? {} : { SOCKET_LESSONS_STEP_NUMBER: String(only.number) }),
  };
  running = spawn(process.execPath, [...focus, ...steps], {
    cwd: lessonFolder,
    stdio: "inherit",
    env,
  });
  running.once("exit", () => {
    running = undefined;
    if (again) {
      again = false;
      runAfterSave();
    } else done();
  });
}

function waitForSave(): void {
  console.log(
    `\nWaiting for you to save a file (${hasHints ? "h and Enter: a hint; " : ""}Ctrl+C stops).`,
  );
}

function runEverything(): void {
  console.log(`\n--- ${new Date().toLocaleTimeString()}: running the steps ---\n`);
  runSteps(waitForSave);
}

function runAfterSave(): void {
  if (running !== undefined) {
    again = true; // Saved mid-run: stop this run and start over.
    running.kill();
    return;
  }
  const failed = failedLastTime();
  if (failed === undefined) {
    runEverything();
    return;
  }
  console.log(
    `\n--- ${new Date().toLocaleTimeString()}: step ${failed.number} first, the one that failed last time ---\n`,
  );
  runSteps(runEverything, failed);
}

for (const folder of [lessonFolder, new URL("common/", lessonFolder)]) {
  watch(folder, (_event, file) => {
    if (!file?.endsWith(".ts")) return;
    // An editor's save can be several events: run once they settle.
    clearTimeout(saved);
    saved = setTimeout(runAfterSave, 300);
  });
}

/** An exercise has `npm run hint` (check/hint.ts); h and Enter runs it between runs. */
const hasHints = existsSync(new URL("hint.ts", import.meta.url));
if (hasHints && process.stdin.isTTY) {
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line.trim().toLowerCase() !== "h" || running !== undefined) return;
    spawn(process.execPath, ["--import", "tsx", "check/hint.ts"], {
      cwd: lessonFolder,
      stdio: "inherit",
    });
  });
}
runEverything();
