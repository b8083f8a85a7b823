// `npm test` and `npm run check`: runs this lesson's steps, against its own server.ts and
// client.ts, or against any program in any language given as a command:
//   npm run check -- --server "python3 server.py {port}"   (and --client "<command>")
// and writes the results where a course system reads them (--json, --gradescope, --junit).
import { createWriteStream, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { PassThrough } from "node:stream";
import { finished } from "node:stream/promises";
import { run } from "node:test";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildForSteps } from "./programs.ts";
import stepReporter, { lastRun } from "./reporter.js";
import { CHECK_FLAGS, FEATURES, UNDER_TEST } from "./under-test.ts";

const usage = `Usage: npm run check -- [--server "<command>"] [--client "<command>"] [--has <features>]
                      [--json <file>] [--gradescope <file>] [--junit <file>] [--help]

  --server, --client  judge this program instead of the lesson's own; {port} and {host} in the
                      command become the port and host each step chose: "python3 server.py {port}"
  --has               features of this lesson's own programs that yours has too, by name:
                      ${Object.keys(FEATURES).join(", ")}
  --json              { "steps": [{ number, name, status: pass | fail | not applicable, verdict }] }
  --gradescope        Gradescope's results.json
  --junit             JUnit XML, for CI systems`;

const { values } = parseFlags();

/** Where the user typed the command: their paths, and their program's, start there. */
const typedIn = process.env.INIT_CWD ?? process.cwd();
const given = { server: values.server, client: values.client, features: values.has };
for (const [what, value] of Object.entries(given)) {
  if (value !== undefined) process.env[UNDER_TEST[what as keyof typeof given]] = value;
}
process.env[UNDER_TEST.folder] = typedIn;

// Stopped (Ctrl+C, or --each's time limit): the steps' process stops every program it started,
// and the steps that ended are still reported; a second Ctrl+C ends this process at once.
const stopped = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopped.signal.aborted) process.exit(1);
    stopped.abort();
  });
}
const built = await buildForSteps();
if (built !== undefined) {
  // node:test starts the steps' process with this process's own flags: all but tsx's.
  process.execArgv = [...withoutTsx(process.execArgv), "--enable-source-maps"];
}
const files = [built ?? fileURLToPath(new URL("lesson.test.ts", import.meta.url))];
const steps = run({ files, signal: stopped.signal });
const toScreen = steps.pipe(new PassThrough({ objectMode: true })).compose(stepReporter);
toScreen.pipe(process.stdout);
if (values.junit !== undefined) {
  // Loaded only when asked for: node:test/reporters loads every reporter Node has.
  const { junit } = await import("node:test/reporters");
  const file = createWriteStream(resolve(typedIn, values.junit));
  steps
    .pipe(new PassThrough({ objectMode: true }))
    .compose(junit)
    .pipe(file);
}
// Its readable side: on Node 26 the writable side of a composed stream never reports finished.
await finished(toScreen, { writable: false });

const results = lastRun.steps;
if (values.json !== undefined) {
  writeFileSync(resolve(typedIn, values.json), `${JSON.stringify({ steps: results }, null, 2)}\n`);
}
if (values.gradescope !== undefined) {
  writeFileSync(resolve(typedIn, values.gradescope), `${JSON.stringify(gradescope(), null, 2)}\n`);
}
const ended = results.some((step) => step.status === "fail") || lastRun.endedEarly !== undefined;
process.exitCode = ended ? 1 : 0;

/**
 * Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 * one test per step that applies, a point each; the steps that do not apply are named in the
 * output, not scored.
 */
function gradescope() {
  const scored = results.filter((step) => step.status === "pass" || step.status === "fail");
  const notScored = results.filter((step) => !scored.includes(step));
  return {
    score: scored.filter((step) => step.status === "pass").length,
    output: notScored
      .map((step) => `Step ${step.number}, ${step.name}: ${step.verdict}`)
      .join("\n"),
    tests: scored.map((step) => ({
      name: `Step ${step.number}: ${step.name}`,
      score: step.status === "pass" ? 1 : 0,
      max_score: 1,
      status: step.status === "pass" ? "passed" : "failed",
      output: step.verdict,
    })),
  };
}

/**
 * Node's flags without tsx's: `--import tsx`, or the tsx command's own `--require` and `--import`
 * of its files (npm run check at the repository's root runs this file in its tsx process).
 */
function withoutTsx(flags: string[]): string[] {
  const isTsx = (value = "") => value === "tsx" || /[\\/]tsx[\\/]dist[\\/]/.test(value);
  const loads = (flag = "") => flag === "--import" || flag === "--require";
  return flags.filter(
    (flag, index) =>
      flag !== "--import=tsx" &&
      !(loads(flag) && isTsx(flags[index + 1])) &&
      !(isTsx(flag) && loads(flags[index - 1])),
  );
}

function parseFlags() {
  try {
    const parsed = parseArgs({
      options: { ...CHECK_FLAGS, help: { type: "boolean" } },
    });
    if (parsed.values.help) {
      console.log(usage);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}
