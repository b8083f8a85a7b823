// `npm run watch`: runs this lesson's steps now, and again each time a .ts file at the top of the
// lesson's folder (server.ts, client.ts, ...) or in common/ is saved, until Ctrl+C. (node --test
// --watch would only notice the test files, not server.ts.) In an exercise, h and Enter runs
// `npm run hint`.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, watch } from "node:fs";
import { createInterface } from "node:readline";

const lessonFolder = new URL("..", import.meta.url);
const steps = [
  ...["--import", "tsx", "--test"],
  ...["--test-reporter=./check/reporter.js", "check/lesson.test.ts"],
];
let running: ChildProcess | undefined;
let again = false;
let saved: NodeJS.Timeout | undefined;

function runSteps(): void {
  if (running !== undefined) {
    again = true; // Saved mid-run: stop this run and start over.
    running.kill();
    return;
  }
  console.log(`\n--- ${new Date().toLocaleTimeString()}: running the steps ---\n`);
  running = spawn(process.execPath, steps, { cwd: lessonFolder, stdio: "inherit" });
  running.once("exit", () => {
    running = undefined;
    if (again) {
      again = false;
      runSteps();
    } else {
      console.log(
        `\nWaiting for you to save a file (${hasHints ? "h and Enter: a hint; " : ""}Ctrl+C stops).`,
      );
    }
  });
}

for (const folder of [lessonFolder, new URL("common/", lessonFolder)]) {
  watch(folder, (_event, file) => {
    if (!file?.endsWith(".ts")) return;
    // An editor's save can be several events: run once they settle.
    clearTimeout(saved);
    saved = setTimeout(runSteps, 300);
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
runSteps();
