// `npm run trace -- <lesson>`: runs that lesson's server and client once, both with --trace, and
// writes the exchange as a Mermaid sequence diagram to trace.md in the folder it is typed in
// (the lesson's own `npm run trace`, check/trace-run.ts, does the work).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { lessonNamed } from "../class/flags.ts";
import { THROUGH_TSX } from "../class/submission.ts";
import { SHOWN_BY } from "../../shared/check/diagram.ts";
import { usageOnHelp } from "../lib/help.ts";
import { lessons } from "../lib/lessons.ts";

const usage = `Usage: npm run trace -- <lesson> [--out <file>]
       npm run trace -- <lesson> --live [--port <port>]

Runs the lesson's server and client once, both with --trace, and writes what went over the wire
as a Mermaid sequence diagram to trace.md (or <file>). ${SHOWN_BY}
With --live, starts the lesson's server (on <port>, else its own) and a page on this computer
that draws each exchange as it happens: run clients in other terminals and watch.
  <lesson>  1 to ${lessons.length}, or the lesson's folder name`;

usageOnHelp(usage);
const [word, ...rest] = process.argv.slice(2);
const lesson = lessonNamed(lessons, word);
if (lesson === undefined) {
  console.error(`${word === undefined ? "No lesson given" : `No lesson "${word}"`}.\n\n${usage}`);
  process.exit(2);
}
if (rest.includes("--live")) {
  const { live } = await import("../live/live.ts");
  await live(
    lesson,
    rest.filter((word) => word !== "--live"),
  );
  process.exit();
}
const child = spawn(process.execPath, [...THROUGH_TSX, join("check", "trace-run.ts"), ...rest], {
  cwd: lesson.folder,
  stdio: "inherit",
  env: { ...process.env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
});
const [code] = (await once(child, "close")) as [number | null];
process.exitCode = code ?? 1;
