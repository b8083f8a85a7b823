// The table `npm run check -- <lesson> --each <folder>` writes: one row per submission, one
// column per step that applies to the class, as CSV for a spreadsheet (Excel on Windows
// included) and JSON for a course system. Every row is scored out of the same total.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { StepResult } from "../../shared/check/reporter.js";

export interface Row {
  submission: string;
  seconds: number;
  /** Stopped at the time limit: its steps so far, if any, and "not run" for the rest. */
  timedOut: boolean;
  steps: StepResult[];
  /** Why no step ran, or some did not: nothing to run, a build that failed, the time limit. */
  reason?: string;
}

/** The file that marks a folder of feedback (--each's own output), which is no submission. */
export const FEEDBACK_MARK = ".socket-lessons-feedback";

/**
 * Makes `folder` a folder of feedback, its mark inside as it appears: it is made aside, under a
 * name no listing takes (a dot first), and renamed into place. A second run listing the same
 * class at that moment never takes it for a submission (CI once saw one do so, between a mkdir
 * and the mark's write). An existing folder gets the mark, if it lacks it.
 */
export function makeFeedbackFolder(folder: string): void {
  const mark = "What each student sees, by npm run check --each.\n";
  if (existsSync(join(folder, FEEDBACK_MARK))) return;
  mkdirSync(dirname(folder), { recursive: true }); // --table may name a folder to make.
  const aside = mkdtempSync(join(dirname(folder), ".socket-lessons-feedback-"));
  writeFileSync(join(aside, FEEDBACK_MARK), mark);
  try {
    renameSync(aside, folder);
  } catch {
    rmSync(aside, { recursive: true, force: true }); // It exists already.
    writeFileSync(join(folder, FEEDBACK_MARK), mark);
  }
}

/** The folders inside `folder`, by name: one submission each. */
export function submissionsIn(folder: string): { name: string; folder: string }[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .filter((entry) => !existsSync(join(folder, entry.name, FEEDBACK_MARK)))
    .map((entry) => ({ name: entry.name, folder: join(folder, entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The steps that apply to some submission, by number: the rest are the same for everyone. */
function columnsOf(rows: Row[]): { number: number; name: string }[] {
  const columns = new Map<number, string>();
  for (const step of rows.flatMap((row) => row.steps)) {
    if (step.status !== "not applicable") columns.set(step.number, step.name);
  }
  return [...columns].sort(([a], [b]) => a - b).map(([number, name]) => ({ number, name }));
}

const statusOf = (row: Row, number: number) =>
  row.steps.find((step) => step.number === number)?.status ??
  (row.timedOut ? "not run: time limit" : "not run");

/** Why a row's steps did not all run, in a few words, for its own column. */
function notRunBecause(row: Row, columns: { number: number }[]): string {
  if (row.reason !== undefined) return row.reason;
  const missing = columns.filter(({ number }) => statusOf(row, number).startsWith("not run"));
  return missing.length === 0 ? "" : row.timedOut ? "the time limit" : "the check stopped";
}

export function tableOf(rows: Row[]): { csv: string; json: object } {
  const columns = columnsOf(rows);
  const summary = (row: Row) => {
    const first = row.steps.find((step) => step.status === "fail");
    return {
      score: columns.filter(({ number }) => statusOf(row, number) === "pass").length,
      of: columns.length,
      firstFailure: first === undefined ? "" : `step ${first.number}: ${first.name}`,
      verdict: first?.verdict ?? row.reason ?? "",
      notRun: notRunBecause(row, columns),
    };
  };
  const header = [
    "submission",
    "score",
    "out of",
    "first failing step",
    "its verdict",
    "steps not run because",
    "seconds",
    "time limit reached",
    ...columns.map(({ number, name }) => `step ${number}: ${name}`),
  ];
  const lines = rows.map((row) => {
    const { score, of, firstFailure, verdict, notRun } = summary(row);
    return [
      row.submission,
      String(score),
      String(of),
      firstFailure,
      verdict,
      notRun,
      row.seconds.toFixed(1),
      row.timedOut ? "yes" : "no",
      ...columns.map(({ number }) => statusOf(row, number)),
    ];
  });
  const csv = [header, ...lines].map((cells) => cells.map(csvCell).join(",")).join("\r\n");
  const json = {
    steps: columns,
    submissions: rows.map((row) => ({
      submission: row.submission,
      ...summary(row),
      seconds: Number(row.seconds.toFixed(1)),
      timedOut: row.timedOut,
      steps: Object.fromEntries(columns.map(({ number }) => [number, statusOf(row, number)])),
    })),
  };
  // The byte-order mark tells Excel the file is UTF-8: without it, Windows shows "›" as "â€º".
  return { csv: `\uFEFF${csv}\r\n`, json };
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
