// `npm run trace -- <lesson>`: runs that lesson's server and client once, both with --trace, and
// writes the exchange as a Mermaid sequence diagram to trace.md in the folder it is typed in
// (the lesson's own `npm run trace`, check/trace-run.ts, does the work).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { lessonNamed } from "../class/flags.ts";
import { THROUGH_TSX } from "../class/submission.ts";
import { usageOnHelp } from "../lib/help.ts";
import { lessons } from "../lib/lessons.ts";

const usage = `Usage: npm run trace -- <lesson> [--out <file>]

Runs the lesson's server and client once, both with --trace, and writes what went over the wire
as a Mermaid sequence diagram to trace.md (or <file>), which GitHub and VS Code show as a picture.
  <lesson>  1 to ${lessons.length}, or the lesson's folder name`;

usageOnHelp(usage);
const [word, ...rest] = process.argv.slice(2);
const lesson = lessonNamed(lessons, word);
if (lesson === undefined) {
  console.error(`${word === undefined ? "No lesson given" : `No lesson "${word}"`}.\n\n${usage}`);
  process.exit(2);
}
const child = spawn(process.execPath, [...THROUGH_TSX, join("check", "trace-run.ts"), ...rest], {
  cwd: lesson.folder,
  stdio: "inherit",
  env: { ...process.env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
});
const [code] = (await once(child, "close")) as [number | null];
process.exitCode = code ?? 1;
