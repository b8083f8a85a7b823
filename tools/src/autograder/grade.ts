// The Gradescope autograder's grader, compiled into the bundle as grader/grade.mjs and run by
// run_autograder, as root, for one submission: the same grading as `npm run check --each`
// (class/submission.ts), then its results.json as Gradescope reads it.
// https://gradescope-autograders.readthedocs.io/en/latest/specs/
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { grade, type Grading } from "../class/submission.ts";
import { describeLimits } from "../executable/limits.ts";
import { ownProcessesAvailable, sandboxUnavailable } from "../executable/sandbox.ts";
import { SETTINGS_FILE, type AutograderSettings } from "./settings.ts";

interface Results {
  score: number;
  execution_time?: number;
  output: string;
  tests: { name: string; score: number; max_score: number; status: string; output: string }[];
}

const root = process.env.AUTOGRADER ?? "/autograder";
const settings = JSON.parse(
  readFileSync(fileURLToPath(new URL(SETTINGS_FILE, import.meta.url)), "utf8"),
) as AutograderSettings;
// SOCKET_LESSONS_SANDBOX=off grades as a container without namespaces would: nobody, unsandboxed.
const noSandbox =
  process.env.SOCKET_LESSONS_SANDBOX === "off"
    ? "SOCKET_LESSONS_SANDBOX=off turned it off"
    : sandboxUnavailable();

const grading: Grading = {
  lesson: { ...settings.lesson, folder: join(root, "source", "lesson") },
  role: settings.role,
  command: settings.command,
  has: settings.has,
  limits: settings.limits,
  sandbox: noSandbox === undefined,
  unprivileged: true,
  ownProcesses: ownProcessesAvailable(),
  timeLimitMs: settings.timeLimitMs,
  reports: ["gradescope"],
  workFolder: temporaryFolder("autograder"),
  classFolder: join(root, "submission"),
  // All of /autograder hidden from the programs: the checker, its results, the submission handed in.
  repository: root,
  // Node 22.18 and later run the lesson's TypeScript checker as it is: the bundle needs no tsx.
  checker: [],
};

const graded = await grade("submission", grading.classFolder, grading);
// What the student's npm test would show, for the teacher in Gradescope's autograder output.
console.log(graded.feedback);

const report = join(grading.workFolder, "submission", "gradescope-report");
const results: Results = existsSync(report)
  ? (JSON.parse(readFileSync(report, "utf8")) as Results)
  : { score: 0, output: "", tests: [] };
const passed = results.tests.filter((test) => test.status === "passed").length;
const { number } = settings.lesson;
const how = settings.command === undefined ? "its own files' command" : `\`${settings.command}\``;
const where = grading.sandbox
  ? "in a sandbox (loopback only, nothing outside a copy of the submission) as the user nobody"
  : `as the user nobody, without a sandbox (${noSandbox})`;
const stopped = graded.timedOut
  ? `, stopped at the time limit of ${settings.timeLimitMs / 1000} s`
  : "";
results.output = [
  results.tests.length === 0
    ? `Lesson ${number}'s ${settings.role}: no step could be run.`
    : `Lesson ${number}'s ${settings.role}, run with ${how}: ${passed} of ${results.tests.length} steps passed${stopped}.`,
  graded.reason,
  `Each program ran ${where}, with at most ${describeLimits(settings.limits)}.`,
  results.output && `Steps that do not apply to a program of your own:\n${results.output}`,
]
  .filter(Boolean)
  .join("\n\n");
results.execution_time = Math.round(graded.seconds);
mkdirSync(join(root, "results"), { recursive: true });
writeFileSync(join(root, "results", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
