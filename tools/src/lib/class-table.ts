// The table `npm run check -- <lesson> --each <folder>` writes: one row per submission, one
// column per step, as CSV for a spreadsheet and JSON for a course system.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { StepResult } from "../../shared/check/reporter.js";

export interface Row {
  submission: string;
  seconds: number;
  /** Stopped at the time limit: its steps so far, if any, and "not run" for the rest. */
  timedOut: boolean;
  steps: StepResult[];
}

/** The folders inside `folder`, by name: one submission each. */
export function submissionsIn(folder: string): { name: string; folder: string }[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => ({ name: entry.name, folder: join(folder, entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every step any row has, by number, with its name. */
function columnsOf(rows: Row[]): { number: number; name: string }[] {
  const columns = new Map<number, string>();
  for (const step of rows.flatMap((row) => row.steps)) columns.set(step.number, step.name);
  return [...columns].sort(([a], [b]) => a - b).map(([number, name]) => ({ number, name }));
}

/** Points: a step passed; out of the steps that applied. */
function scoreOf(row: Row) {
  const applied = row.steps.filter((step) => step.status === "pass" || step.status === "fail");
  return { score: applied.filter((step) => step.status === "pass").length, of: applied.length };
}

export function tableOf(rows: Row[]): { csv: string; json: object } {
  const columns = columnsOf(rows);
  const statusOf = (row: Row, number: number) =>
    row.steps.find((step) => step.number === number)?.status ??
    (row.timedOut ? "not run: time limit" : "not run");
  const header = [
    "submission",
    "score",
    "out of",
    "seconds",
    "time limit reached",
    ...columns.map(({ number, name }) => `step ${number}: ${name}`),
  ];
  const lines = rows.map((row) => {
    const { score, of } = scoreOf(row);
    return [
      row.submission,
      String(score),
      String(of),
      row.seconds.toFixed(1),
      row.timedOut ? "yes" : "no",
      ...columns.map(({ number }) => statusOf(row, number)),
    ];
  });
  const csv = [header, ...lines].map((cells) => cells.map(csvCell).join(",")).join("\n");
  const json = {
    steps: columns,
    submissions: rows.map((row) => ({
      submission: row.submission,
      ...scoreOf(row),
      seconds: Number(row.seconds.toFixed(1)),
      timedOut: row.timedOut,
      steps: Object.fromEntries(columns.map(({ number }) => [number, statusOf(row, number)])),
      firstFailure: row.steps.find((step) => step.status === "fail") ?? null,
    })),
  };
  return { csv: `${csv}\n`, json };
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
