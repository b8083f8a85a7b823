// `npm run check -- <lesson> --server "<command>"`: one lesson's steps against any program, in
// any language, from the repository root (a lesson's own folder has `npm run check` too). With
// `--each <folder>`, a teacher's whole class: every submission in the folder, one row each,
// each program bounded, side by side (class/).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { CHECK_FLAGS } from "../../shared/check/under-test.ts";
import { grade, THROUGH_TSX, type Grading } from "../class/submission.ts";
import { makeFeedbackFolder, submissionsIn, tableOf, type Row } from "../class/table.ts";
import { CLASS_FLAGS, CLASS_USAGE, classSettings, lessonNamed } from "../class/flags.ts";
import { describeLimits } from "../executable/limits.ts";
import { ownProcessesAvailable, sandboxUnavailable } from "../executable/sandbox.ts";
import { lessons, repositoryRoot, type Lesson } from "../lib/lessons.ts";

const usage = `Usage: npm run check -- <lesson> [--server "<command>"] [--client "<command>"] [--has <features>]
                      [--json <file>] [--gradescope <file>] [--junit <file>]
       npm run check -- <lesson> --each <folder> [--server "<command>" | --client "<command>" | --role <role>]
                      [--table <name>] [--jobs <n>] [--sandbox] [--time-limit <seconds>]
                      [--memory <size>] [--processes <n>] [--cpu-time <seconds>] [--file-size <size>]

  <lesson>       1 to ${lessons.length}, or the lesson's folder name
  --server, --client, --has, --json, --gradescope, --junit: as in a lesson folder's npm run check
  --each         check every folder inside <folder> (a submission each), in a private copy; with no
                 command, each one's own: run.sh, else server.py, server.js, server.ts, server.c,
                 ... (README.md lists them). Writes <name>.csv, <name>.json, and <name>-feedback/
                 with what each student would see (and their --json, --gradescope, --junit)
  --table        the table's name (default: check-results)
  --jobs         submissions checked side by side (default: the number of cores, ${availableParallelism()} here)
  --sandbox      Linux: each program in namespaces, loopback only, nothing outside its copy
${CLASS_USAGE}`;

const typedIn = process.env.INIT_CWD ?? process.cwd();
const { values, lesson, settings } = parseFlags();

if (values.each === undefined) {
  // Everything but the lesson's own word (a flag's value may be the same word: --has 3).
  const forwarded = process.argv.slice(2).toSpliced(values.lessonIndex, 1);
  process.exitCode = await checkOnce(lesson, forwarded, typedIn);
} else {
  process.exitCode = await checkEach(values.each);
}

/**
 * Runs the lesson's checker (check/check.ts) with `args`, its commands run in `folder`: in this
 * process, as its own `npm run check` runs it there, since a second Node through tsx would cost a
 * quarter second of CPU at every check. The checker reads its flags from process.argv.
 */
async function checkOnce(chosen: Lesson, args: string[], folder: string): Promise<number> {
  const checker = join(chosen.folder, "check", "check.ts");
  process.chdir(chosen.folder);
  process.argv = [process.execPath, checker, ...args];
  process.env.INIT_CWD = folder;
  await import(pathToFileURL(checker).href);
  return Number(process.exitCode ?? 0);
}

/** Every submission in `folder`, `--jobs` at a time, into one table and a feedback file each. */
async function checkEach(folder: string): Promise<number> {
  const classFolder = resolve(typedIn, folder.replace(/[/\\]\*$/, ""));
  const submissions = submissionsIn(classFolder);
  const unavailable = values.sandbox ? sandboxUnavailable() : undefined;
  if (unavailable !== undefined) {
    console.error(
      `--sandbox cannot be used here: ${unavailable}. README.md says how to enable it.`,
    );
    return 1;
  }
  const { limits, role, timeLimitMs } = settings;
  const grading: Grading = {
    lesson,
    role,
    command: values.server ?? values.client,
    has: values.has,
    limits,
    sandbox: values.sandbox,
    ownProcesses: ownProcessesAvailable(),
    timeLimitMs,
    reports: (["gradescope", "junit"] as const).filter((flag) => values[flag] !== undefined),
    workFolder: temporaryFolder("each"),
    classFolder,
    repository: repositoryRoot,
    checker: THROUGH_TSX,
  };
  const name = resolve(typedIn, values.table);
  const feedbackFolder = `${name}-feedback`;
  makeFeedbackFolder(feedbackFolder);
  console.log(
    `Checking ${submissions.length} submission(s) of lesson ${lesson.number}'s ${grading.role}, ${values.jobs} at a time, ${values.sandbox ? "each program sandboxed" : "without --sandbox"}; limits: ${describeLimits(limits)}.`,
  );
  const rows: Row[] = [];
  let unrecorded = 0;
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < submissions.length; index = next++) {
      const submission = submissions[index];
      if (submission === undefined) return;
      const graded = await grade(submission.name, submission.folder, grading);
      if (graded.reason?.startsWith("The check recorded no step")) unrecorded += 1;
      rows[index] = graded;
      writeFeedback(
        join(feedbackFolder, submission.name),
        graded,
        join(grading.workFolder, submission.name),
      );
      console.log(describeRow(graded));
    }
  };
  await Promise.all(Array.from({ length: Number(values.jobs) }, worker));
  const table = tableOf(rows);
  writeFileSync(`${name}.csv`, table.csv);
  writeFileSync(`${name}.json`, `${JSON.stringify(table.json, null, 2)}\n`);
  console.log(
    `Wrote ${name}.csv, ${name}.json and ${feedbackFolder}/ (what each student sees): ${rows.length} submission(s).`,
  );
  if (unrecorded > 0) {
    console.error(`${unrecorded} submission(s) have no step recorded: their rows say why.`);
    return 1;
  }
  return 0;
}

/** What one student reads: the check's own output, and the results files asked for. */
function writeFeedback(folder: string, row: Row & { feedback: string }, work: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, "feedback.txt"),
    row.feedback.endsWith("\n") ? row.feedback : `${row.feedback}\n`,
  );
  const results = join(work, "results.json");
  if (values.json !== undefined) {
    const file = join(folder, basename(values.json));
    if (existsSync(results)) copyFileSync(results, file);
    else writeFileSync(file, `${JSON.stringify({ steps: [], reason: row.reason }, null, 2)}\n`);
  }
  for (const [flag, file] of [
    ["gradescope", values.gradescope],
    ["junit", values.junit],
  ] as const) {
    if (file === undefined) continue;
    const written = join(work, `${flag}-report`);
    const target = join(folder, basename(file));
    if (existsSync(written)) copyFileSync(written, target);
    else if (flag === "gradescope") {
      writeFileSync(
        target,
        `${JSON.stringify({ score: 0, output: row.reason ?? "", tests: [] }, null, 2)}\n`,
      );
    } else {
      const reason = (row.reason ?? "").replaceAll("&", "&amp;").replaceAll("<", "&lt;");
      writeFileSync(
        target,
        `<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="${row.submission}" tests="1" failures="1"><testcase name="the program runs"><failure message="${reason.replaceAll('"', "&quot;")}"/></testcase></testsuite></testsuites>\n`,
      );
    }
  }
}

function describeRow(row: Row): string {
  const count = (status: string) => row.steps.filter((step) => step.status === status).length;
  const first = row.steps.find((step) => step.status === "fail");
  const limit = row.timedOut ? `, stopped at the time limit of ${values["time-limit"]} s` : "";
  const why = row.steps.length === 0 ? `: ${row.reason?.split("\n")[0]}` : "";
  return `${row.submission}: ${count("pass")} passed, ${count("fail")} failed, ${count("not applicable")} not applicable (${row.seconds.toFixed(1)} s${limit})${first === undefined ? "" : `; first failure: step ${first.number}, ${first.name}`}${why}`;
}

function parseFlags() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      tokens: true,
      options: {
        ...CHECK_FLAGS,
        ...CLASS_FLAGS,
        each: { type: "string" },
        table: { type: "string", default: "check-results" },
        jobs: { type: "string", default: String(availableParallelism()) },
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
  const flags = parsed.values;
  const [lessonWord, ...extra] = parsed.positionals;
  const chosen = lessonNamed(lessons, lessonWord);
  const settings = classSettings(flags);
  const problem =
    lessonWord === undefined
      ? "Say which lesson to check"
      : chosen === undefined
        ? `There is no lesson ${JSON.stringify(lessonWord)}`
        : extra.length > 0
          ? `${JSON.stringify(extra[0])} is not a flag: put a command in quotes, --server "python3 server.py {port}"`
          : !/^[1-9]\d*$/.test(flags.jobs)
            ? `--jobs must be a whole number above 0, not ${flags.jobs}`
            : typeof settings === "string"
              ? settings
              : undefined;
  if (problem !== undefined || chosen === undefined || typeof settings === "string") {
    console.error(`${problem ?? "Say which lesson to check"}.\n${usage}`);
    process.exit(2);
  }
  const lessonIndex = parsed.tokens.find((token) => token.kind === "positional")?.index ?? 0;
  return { values: { ...flags, lessonIndex }, lesson: chosen, settings };
}
