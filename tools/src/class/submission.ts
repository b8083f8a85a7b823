// One submission, graded: copied where nothing else of the class or the checker can be reached,
// its program found (languages.ts) and built, then the lesson's steps run on it by the checker,
// which stays outside the sandbox: only the programs the steps start run inside it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  lstatSync,
  readdirSync,
  readFileSync,
} from "node:fs";
import { join } from "node:path";
import type { StepResult } from "../../shared/check/reporter.js";
import { BOUNDED, type Role } from "../../shared/check/under-test.ts";
import type { Bounds } from "../executable/bounds.ts";
import { boundedEnvironment } from "../executable/launcher.ts";
import type { Limits } from "../executable/limits.ts";
import { inOwnNetwork, NOBODY, planFor } from "../executable/sandbox.ts";
import type { Lesson } from "../lib/lessons.ts";
import { runProcess } from "../lib/process.ts";
import { howItRuns } from "./languages.ts";
import type { Row } from "./table.ts";

export interface Grading {
  lesson: Lesson;
  role: Role;
  /** The command given for every submission, or undefined: each one's own (languages.ts). */
  command?: string;
  has?: string;
  limits: Limits;
  sandbox: boolean;
  /** Without a sandbox, from root: each program as nobody all the same (the Gradescope bundle). */
  unprivileged?: boolean;
  /** Whether a PID namespace can hold each program where there is no sandbox. */
  ownProcesses: boolean;
  timeLimitMs: number;
  /** The results files to write beside results.json, as <flag>-report in its folder. */
  reports: ("gradescope" | "junit")[];
  /** The checker's own folder for this run, out of every submission's reach. */
  workFolder: string;
  classFolder: string;
  /** The checker's repository, hidden from the programs by the sandbox. */
  repository: string;
  /** How Node runs the lesson's check/check.ts: through tsx, or by itself (Node 22.18+). */
  checker: string[];
}

/** The repository's way: tsx, on every Node it supports. */
export const THROUGH_TSX = ["--import", "tsx"];

/** What the student would see from `npm test`, at most this much. */
const FEEDBACK_LIMIT = 1024 * 1024;

/** Grades the submission in `folder`: its row of the table, and what the student reads. */
export async function grade(
  name: string,
  folder: string,
  grading: Grading,
): Promise<Row & { feedback: string }> {
  const startedAt = performance.now();
  const row = (fields: Partial<Row> & { feedback: string }) => ({
    submission: name,
    seconds: (performance.now() - startedAt) / 1000,
    timedOut: false,
    steps: [],
    ...fields,
  });
  const own = join(grading.workFolder, name);
  const copy = join(own, "copy");
  const stage = join(own, "stage");
  mkdirSync(stage, { recursive: true });
  cpSync(folder, copy, { recursive: true });
  if (process.getuid?.() === 0 && (grading.sandbox || grading.unprivileged)) {
    ownedByNobody(copy);
    // Without the sandbox's bind mount, nobody reaches the copy through the checker's folders,
    // which it may pass through (711) but neither list nor write.
    if (!grading.sandbox) for (const each of [grading.workFolder, own]) chmodSync(each, 0o711);
  }
  const bounds: Bounds = {
    limits: grading.limits,
    ownProcesses: grading.ownProcesses,
    unprivileged: grading.unprivileged,
    plan: grading.sandbox
      ? planFor(copy, {
          stage,
          repository: grading.repository,
          classFolder: grading.classFolder,
          tmpBytes: grading.limits.fileBytes,
        })
      : undefined,
  };
  const environment = await boundedEnvironment(bounds);

  let command = grading.command;
  if (command === undefined) {
    const found = howItRuns(copy, grading.role, grading.lesson.number);
    if (typeof found === "string") return row({ reason: found, feedback: found });
    if (found.build !== undefined) {
      const built = await runBounded(found.build, copy, environment, 60_000);
      if (built.code !== 0) {
        const said = built.output.trim().split("\n").slice(0, 12).join("\n");
        const reason = `${found.file} did not build (${found.build.join(" ")}):\n${said}`;
        return row({ reason, feedback: reason });
      }
    }
    command = found.command;
  }

  const results = join(own, "results.json");
  const args = [
    `--${grading.role}`,
    command,
    ...(grading.has ? ["--has", grading.has] : []),
    "--json",
    results,
    ...grading.reports.flatMap((flag) => [`--${flag}`, join(own, `${flag}-report`)]),
  ];
  const checker = [process.execPath, ...grading.checker, join("check", "check.ts"), ...args];
  const [file = "", ...rest] = grading.sandbox ? inOwnNetwork(checker) : checker;
  const child = spawn(file, rest, {
    cwd: grading.lesson.folder,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...environment, INIT_CWD: copy },
  });
  let feedback = "";
  const keep = (chunk: Buffer) => {
    if (feedback.length < FEEDBACK_LIMIT) feedback += chunk.toString();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const stopped = { atTheLimit: false };
  // On time: SIGTERM first, so that the checker stops every program it started; SIGKILL later.
  const limit = setTimeout(() => {
    stopped.atTheLimit = true;
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
  }, grading.timeLimitMs);
  await once(child, "close");
  clearTimeout(limit);
  const steps = existsSync(results)
    ? (JSON.parse(readFileSync(results, "utf8")) as { steps: StepResult[] }).steps
    : [];
  const reason =
    steps.length > 0
      ? undefined
      : stopped.atTheLimit
        ? `Stopped at the time limit of ${grading.timeLimitMs / 1000} s before any step ended.`
        : `The check recorded no step: ${feedback.trim().split("\n").slice(-3).join(" ") || "it said nothing"}`;
  return row({
    steps,
    timedOut: stopped.atTheLimit,
    reason,
    feedback: feedback.slice(0, FEEDBACK_LIMIT),
  });
}

/** `words` under the submission's bounds, in `folder`: its exit code and what it printed. */
async function runBounded(
  words: string[],
  folder: string,
  environment: Record<string, string>,
  timeoutMs: number,
) {
  const launcher = JSON.parse(environment[BOUNDED.launcher] ?? "[]") as string[];
  const [file = "", ...args] = [...launcher, ...words];
  const env = { ...process.env, ...environment };
  const finished = await runProcess(file, args, { cwd: folder, env, timeoutMs }).catch(() => ({
    code: 124,
    stdout: [],
    stderr: [`It did not finish within ${timeoutMs / 1000} s.`],
  }));
  const { code, stdout, stderr } = finished;
  // The launcher's own lines (a limit reached) lose their mark.
  const mark = `${environment[BOUNDED.mark]} `;
  return { code: code ?? 1, output: [...stderr, ...stdout].join("\n").replaceAll(mark, "") };
}

/** The copy, owned by the user the program runs as when the checker is root. */
function ownedByNobody(folder: string): void {
  chownSync(folder, NOBODY, NOBODY);
  for (const entry of readdirSync(folder, { recursive: true, encoding: "utf8" })) {
    const path = join(folder, entry);
    if (!lstatSync(path).isSymbolicLink()) chownSync(path, NOBODY, NOBODY);
  }
}
