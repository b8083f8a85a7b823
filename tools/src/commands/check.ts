// `npm run check -- <lesson> --server "<command>"`: one lesson's steps against any program, in
// any language, from the repository root (a lesson's own folder has `npm run check` too). With
// `--each <folder>`, a teacher's whole class: every submission in the folder, one row each.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { StepResult } from "../../shared/check/reporter.js";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { CHECK_FLAGS } from "../../shared/check/under-test.ts";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { submissionsIn, tableOf, type Row } from "../lib/class-table.ts";
import { lessons, type Lesson } from "../lib/lessons.ts";
import { sandboxed, sandboxUnavailable } from "../lib/sandbox.ts";

const usage = `Usage: npm run check -- <lesson> [--server "<command>"] [--client "<command>"] [--has <features>]
                      [--json <file>] [--gradescope <file>] [--junit <file>]
       npm run check -- <lesson> --each <folder> --server "<command>" [--table <name>]
                      [--time-limit <seconds>] [--sandbox]

  <lesson>       1 to ${lessons.length}, or the lesson's folder name
  --server, --client, --has, --json, --gradescope, --junit: as in a lesson folder's npm run check
  --each         run the check in every folder inside <folder> (a submission each): each command
                 runs in its submission's folder; writes <name>.csv and <name>.json
  --table        the table's name (default: check-results)
  --time-limit   seconds per submission before it is stopped (default: 120)
  --sandbox      Linux: each submission with no network but loopback and no writes outside its
                 folder (README.md says what this does not contain)`;

const typedIn = process.env.INIT_CWD ?? process.cwd();
const { values, lesson } = parseFlags();

if (values.each === undefined) {
  // Everything but the lesson's own word (a flag's value may be the same word: --has 3).
  const forwarded = process.argv.slice(2).toSpliced(values.lessonIndex, 1);
  const { code } = await checkOnce(lesson, forwarded, typedIn);
  process.exitCode = code;
} else {
  await checkEach(values.each);
}

/** Runs the lesson's checker (check/check.ts) with `args`, its commands run in `folder`. */
async function checkOnce(
  chosen: Lesson,
  args: string[],
  folder: string,
  { timeLimitMs = 0, quiet = false, sandbox = false, collect = false } = {},
) {
  const command: [string, ...string[]] = [
    process.execPath,
    "--import",
    "tsx",
    join("check", "check.ts"),
    ...args,
  ];
  const [file, ...rest] = sandbox ? sandboxed(command, folder, chosen.folder) : command;
  // With --each, the results file, which the checker writes as --json.
  const results = collect ? join(temporaryFolder("each"), "results.json") : undefined;
  const json = results === undefined ? [] : ["--json", results];
  const child = spawn(file, [...rest, ...json], {
    cwd: chosen.folder,
    stdio: ["ignore", quiet ? "ignore" : "inherit", quiet ? "ignore" : "inherit"],
    env: { ...process.env, INIT_CWD: folder },
  });
  let timedOut = false;
  // On time: SIGTERM first, so that the checker stops every program it started (their process
  // groups); SIGKILL two seconds later if it has not gone.
  const limit =
    timeLimitMs > 0
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
        }, timeLimitMs)
      : undefined;
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(limit);
  const written =
    results === undefined || !existsSync(results) ? "" : readFileSync(results, "utf8");
  const steps = written === "" ? [] : (JSON.parse(written) as { steps: StepResult[] }).steps;
  return { code: code ?? 1, timedOut, steps };
}

/** Every submission in `folder`, one after another, into one table (class-table.ts). */
async function checkEach(folder: string) {
  const submissions = submissionsIn(resolve(typedIn, folder.replace(/[/\\]\*$/, "")));
  if (values.sandbox && sandboxUnavailable() !== undefined) {
    console.error(`--sandbox cannot be used here: ${sandboxUnavailable()}.`);
    process.exit(1);
  }
  const timeLimitMs = Number(values["time-limit"]) * 1000;
  const rows: Row[] = [];
  for (const submission of submissions) {
    const given = ["server", "client", "has"] as const;
    const args = given.flatMap((flag) => {
      const value = values[flag];
      return value === undefined ? [] : [`--${flag}`, value];
    });
    const startedAt = performance.now();
    const { timedOut, steps } = await checkOnce(lesson, args, submission.folder, {
      timeLimitMs,
      quiet: true,
      sandbox: values.sandbox,
      collect: true,
    });
    const seconds = (performance.now() - startedAt) / 1000;
    const row: Row = { submission: submission.name, seconds, timedOut, steps };
    rows.push(row);
    console.log(describeRow(row, timeLimitMs));
  }
  const table = tableOf(rows);
  const name = resolve(typedIn, values.table);
  writeFileSync(`${name}.csv`, table.csv);
  writeFileSync(`${name}.json`, `${JSON.stringify(table.json, null, 2)}\n`);
  console.log(`Wrote ${name}.csv and ${name}.json: ${rows.length} submission(s).`);
}

function describeRow(row: Row, timeLimitMs: number): string {
  const count = (status: string) => row.steps.filter((step) => step.status === status).length;
  const first = row.steps.find((step) => step.status === "fail");
  const limit = row.timedOut ? `, stopped at the time limit of ${timeLimitMs / 1000} s` : "";
  return `${row.submission}: ${count("pass")} passed, ${count("fail")} failed, ${count("not applicable")} not applicable (${row.seconds.toFixed(1)} s${limit})${first === undefined ? "" : `; first failure: step ${first.number}, ${first.name}`}`;
}

function parseFlags() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      tokens: true,
      options: {
        ...CHECK_FLAGS,
        each: { type: "string" },
        table: { type: "string", default: "check-results" },
        "time-limit": { type: "string", default: "120" },
        sandbox: { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  const [lessonWord, ...extra] = parsed.positionals;
  const chosen = lessons.find(
    (each) =>
      lessonWord !== undefined &&
      (String(each.number) === lessonWord.replace(/^0/, "") ||
        each.name === lessonWord.replace(/^lessons[/\\]/, "").replace(/[/\\]$/, "")),
  );
  const problem =
    lessonWord === undefined
      ? "Say which lesson to check"
      : chosen === undefined
        ? `There is no lesson ${JSON.stringify(lessonWord)}`
        : extra.length > 0
          ? `${JSON.stringify(extra[0])} is not a flag: put a command in quotes, --server "python3 server.py {port}"`
          : !(Number(parsed.values["time-limit"]) > 0)
            ? `--time-limit must be a number of seconds above 0, not ${parsed.values["time-limit"]}`
            : parsed.values.each !== undefined &&
                parsed.values.server === undefined &&
                parsed.values.client === undefined
              ? "--each needs the command to run in each submission: --server or --client"
              : undefined;
  if (problem !== undefined || chosen === undefined) {
    console.error(`${problem ?? "Say which lesson to check"}.\n${usage}`);
    process.exit(2);
  }
  const lessonIndex = parsed.tokens.find((token) => token.kind === "positional")?.index ?? 0;
  return { values: { ...parsed.values, lessonIndex }, lesson: chosen };
}
