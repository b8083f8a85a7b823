// How `npm test` reports to a student: each step (test), in teaching order, passed or failed;
// then the first failing step in full, with no stack trace: what went wrong, what was expected
// and what arrived, byte by byte, and a hint. A node:test custom reporter
// (https://nodejs.org/api/test.html#custom-reporters); it ends with node's own summary lines.
// JavaScript, not TypeScript: Node 20 loads reporters before tsx can compile them.

import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/** @param {AsyncIterable<any>} source */
export default async function* stepReporter(source) {
  const steps = [];
  const open = [];
  let last;
  lastRun.endedEarly = undefined;
  for await (const { type, data } of source) {
    if (type === "test:start") {
      open[data.nesting ?? 0] = data.name ?? "";
    } else if (type === "test:pass" || type === "test:fail") {
      if (data.details?.type === "suite") continue; // A describe() block, not a step.
      if (isTheStepsFile(data)) {
        // The steps' file fails as a whole when its process ends before its steps do: stopped
        // (Ctrl+C, --each's time limit) or crashed. No step failed: the rest did not run.
        if (type === "test:fail") lastRun.endedEarly = endedEarly(data);
        continue;
      }
      // In watch's run of one step, Node 20 lists every other step as skipped: leave them out.
      if (process.env.SOCKET_LESSONS_STEP_NUMBER !== undefined && data.skip !== undefined) continue;
      const step = {
        name: data.name ?? "",
        path: open.slice(0, data.nesting ?? 0),
        passed: type === "test:pass",
        /** Why it did not run (the step's skip reason), true for no reason, or false. */
        skipped: data.skip ?? data.todo ?? false,
        error: data.details?.error,
      };
      steps.push(step);
      last = step;
      yield `${line(step, numberOf(steps.length))}\n`;
    } else if (type === "test:diagnostic" && last !== undefined) {
      const hint = /^Hint: (.*)$/s.exec(data.message ?? "")?.[1];
      if (hint !== undefined) last.hint = hint;
      const hole = /^Hole: (.*)$/s.exec(data.message ?? "")?.[1];
      if (hole !== undefined) (last.holes ??= []).push(hole);
      const said = /^Said: (.*)$/s.exec(data.message ?? "")?.[1];
      if (said !== undefined) (last.said ??= []).push(said);
      const ended = /^Ended: (.*)$/s.exec(data.message ?? "")?.[1];
      if (ended !== undefined) (last.ended ??= []).push(ended);
    }
  }
  const failed = steps.filter((step) => !step.passed);
  lastRun.steps = steps.map((step, index) => resultOf(step, numberOf(index + 1)));
  const first = failed[0];
  const number = first === undefined ? undefined : numberOf(steps.indexOf(first) + 1);
  if (lastRun.endedEarly !== undefined) yield `\n${lastRun.endedEarly}\n`;
  if (first !== undefined) yield explainFailure(first, number);
  rememberForHint(first, number);
  rememberForWatch(first, number);
  // A skipped step did not run: it is counted apart, never as passed.
  const skipped = steps.filter((step) => step.skipped !== false).length;
  const passed = steps.filter((step) => step.passed && step.skipped === false).length;
  yield `\nℹ tests ${steps.length}\nℹ pass ${passed}\nℹ fail ${failed.length}\nℹ skipped ${skipped}\n`;
}

/**
 * The last run's steps, for check.ts's --json, --gradescope and --each; and, if its steps' process
 * ended before they did, why, in a sentence.
 */
export const lastRun = { steps: [], endedEarly: undefined };

/** Whether a result is the steps' file itself, not a step: node:test names it by its path. */
function isTheStepsFile(data) {
  return (data.nesting ?? 0) === 0 && data.file !== undefined && resolve(data.name) === data.file;
}

/** Why the steps' process ended before its steps: stopped, or an error of its own. */
function endedEarly(data) {
  const error = data.details?.error;
  if (error?.failureType === "testAborted") {
    return "The check was stopped before its steps ended: those after the last one shown did not finish.";
  }
  return "The steps' own process ended before its steps did: those after the last one shown did not finish. That is a fault of the checker, not a verdict on your program.";
}

/** A step as check.ts writes it: its number, name, status, and the verdict of a failure. */
function resultOf(step, number) {
  const why = typeof step.skipped === "string" ? step.skipped : "";
  const status = step.passed
    ? step.skipped === false
      ? "pass"
      : why.startsWith("not applicable")
        ? "not applicable"
        : "skipped"
    : "fail";
  const verdict =
    status === "fail"
      ? verdictOf(step)
          .map((line) => line.trim())
          .join("\n")
      : why;
  return { number, name: [...step.path.slice(1), step.name].join(" › "), status, verdict };
}

/**
 * In an exercise (it has check/hints.json), where the first failing step stopped, for
 * `npm run hint`: the hole a program reached, or none.
 */
function rememberForHint(step, number) {
  if (!existsSync(new URL("hints.json", import.meta.url))) return;
  const said = [step?.error?.cause?.message, step?.error?.message, ...(step?.holes ?? [])];
  const hole = said
    .map((text) => / *(\S+\.ts line \d+) is still to be written/.exec(String(text ?? ""))?.[1])
    .find((where) => where !== undefined);
  const verdict = { step: step?.name, number, hint: step?.hint, hole };
  writeFileSync(new URL("last-verdict.json", import.meta.url), `${JSON.stringify(verdict)}\n`);
}

/**
 * Under `npm run watch` (check/watch.ts), the first failing step's name and number, in the file
 * watch names: after the next save, watch runs that step first.
 */
function rememberForWatch(step, number) {
  const file = process.env.SOCKET_LESSONS_WATCH_FILE;
  if (file === undefined || process.env.SOCKET_LESSONS_STEP_NUMBER !== undefined) return;
  writeFileSync(file, step === undefined ? "" : JSON.stringify({ name: step.name, number }));
}

/**
 * The number of the step at `position` in this run: in a run of one step (watch's first), the
 * number that step has in the whole run.
 */
function numberOf(position) {
  return Number(process.env.SOCKET_LESSONS_STEP_NUMBER ?? position);
}

function line(step, number) {
  const mark = step.skipped !== false ? "-" : step.passed ? "✔" : "✖";
  const why = typeof step.skipped === "string" ? ` (skipped: ${step.skipped})` : "";
  return `${mark} step ${number}: ${[...step.path.slice(1), step.name].join(" › ")}${why}`;
}

function explainFailure(step, number) {
  return `${["", `The first step to fix is step ${number}: ${step.name}`, ...verdictOf(step)].join("\n")}\n`;
}

/** What went wrong in a failed step, in words, then its hint: indented lines. */
function verdictOf(step) {
  const lines = [];
  const error = step.error;
  const cause = typeof error?.cause === "object" ? error.cause : undefined;
  if (error?.failureType === "testTimeoutFailure") {
    lines.push("  The step ran out of time: a program waited for something that never came.");
  } else {
    const message = cause?.message ?? error?.message ?? "it failed";
    const actual = asText(cause?.actual);
    const expected = asText(cause?.expected);
    const comparable = actual !== undefined && expected !== undefined;
    // Only an assertion compares two values; any other error has nothing to show beside it.
    const asserted = cause?.code === "ERR_ASSERTION";
    const single = asserted && isSingleValue(cause.actual) && isSingleValue(cause.expected);
    // assert's own wording and diff are replaced by the comparison below, in plain words.
    const said =
      comparable || single || asserted ? withoutAssertWording(message) : inWords(message);
    lines.push(
      ...(said || "What arrived is not what was expected:").split("\n").map((text) => `  ${text}`),
    );
    if (asserted && cause.operator === "match") {
      // The pattern is the test's, not the student's: the README shows the line as an example.
      lines.push(
        `  received ${quote(Buffer.from(String(cause.actual)))}`,
        '  expected a line of the form shown under "What you should see" in README.md',
      );
    } else if (asserted && cause.operator === "doesNotMatch") {
      lines.push(
        `  received ${quote(Buffer.from(String(cause.actual)))}, which this step rules out`,
      );
    } else if (comparable) lines.push(...compare(actual, expected));
    else if (single) {
      lines.push(`  expected ${String(cause.expected)}`, `  received ${String(cause.actual)}`);
    }
  }
  // What a program said on its error stream is often why its output is wrong: show it.
  for (const words of step.said ?? []) {
    const [program, ...sentence] = words.split(": ");
    lines.push(`  ${program} said on its error stream: ${sentence.join(": ")}`);
  }
  // A program given that crashed, or spun instead of waiting, did so whatever the step compared.
  for (const ended of step.ended ?? []) lines.push(`  ${ended}`);
  // A program that stopped at a hole is the cause, whatever the step compared: say where.
  const said = lines.join("\n");
  for (const hole of step.holes ?? []) {
    if (!said.includes(hole)) lines.push(`  A program stopped at a hole: ${hole}`);
  }
  if (step.hint !== undefined) lines.push(`  Hint: ${hintFor(step)}`);
  // Under `npm run check -- --server "<command>"`, the lesson's own programs are not the ones judged.
  if (process.env.SOCKET_LESSONS_SERVER || process.env.SOCKET_LESSONS_CLIENT) return lines;
  lines.push(
    "  To watch the exchange on the wire: npm run server -- --trace, and in another terminal npm run client -- --trace.",
  );
  return lines;
}

/**
 * Node's bare socket errors (`read ECONNRESET`, `connect ECONNREFUSED 127.0.0.1:40901`), which
 * a step's socket throws as they are, as a sentence that says what the other side did.
 */
const SOCKET_ERRORS = {
  ECONNREFUSED: "the connection was refused (ECONNREFUSED): nothing was listening there",
  ECONNRESET:
    "the other side reset the connection (ECONNRESET): it closed it abruptly, with bytes still unread, or it crashed",
  EPIPE:
    "the other side had already closed the connection (EPIPE), so what was written never arrived",
  ETIMEDOUT: "the connection timed out (ETIMEDOUT): the other side never answered",
};

function inWords(message) {
  const bare = /^(read|write|connect) (E[A-Z]+)(?: (\S+))?$/.exec(message);
  const sentence = bare === null ? undefined : SOCKET_ERRORS[bare[2]];
  if (sentence === undefined) return message;
  const [, call, , where] = bare;
  const when =
    call === "connect"
      ? `Connecting to ${where}`
      : `While the step ${call === "read" ? "read" : "wrote"}`;
  return `${when}, ${sentence}.`;
}

/**
 * The step's hint, led by the hole a program stopped at when that hole is in another file than
 * the one the hint names: an exercise's common/first-connection.ts, which server.ts calls.
 */
function hintFor(step) {
  const [, file, line] =
    /^(\S+) line (\d+) is still to be written/.exec(step.holes?.[0] ?? "") ?? [];
  const named = /^(\S+\.ts): /.exec(step.hint)?.[1];
  if (file === undefined || named === undefined || named === file) return step.hint;
  return `${file} line ${line} comes first: ${named} is waiting on the hole there. Then, ${step.hint}`;
}

/** A message without assert's headline ("Expected values to be strictly equal:"), diff or `a !== b`. */
function withoutAssertWording(message) {
  return message
    .replace(
      /^The input (was expected to not match|did not match) the regular expression[\s\S]*$/,
      "",
    )
    .replace(/^Expected values to be [\w -]+:[\s\S]*$/, "")
    .replace(/\n*\+ actual - expected[\s\S]*$/, "")
    .replace(/\n+[^\n]* !== [^\n]*\s*$/, "")
    .trim();
}

/** A number, a boolean, null or undefined: shown as it is, beside what was expected. */
function isSingleValue(value) {
  return value === null || ["number", "boolean", "undefined", "bigint"].includes(typeof value);
}

/** Strings as they are; arrays of strings (output lines) joined by newlines. */
function asText(value) {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return value.join("\n");
  }
  return undefined;
}

/** Expected and received text, escaped, with their byte counts and the first differing byte. */
export function compare(actual, expected) {
  const a = Buffer.from(actual);
  const e = Buffer.from(expected);
  let at = 0;
  while (at < a.length && at < e.length && a[at] === e[at]) at += 1;
  const expectedLine = `  expected ${quote(e)} (${e.length} bytes)`;
  const receivedLine = `  received ${quote(a)} (${a.length} bytes)`;
  // The caret goes under the first differing byte of what was received.
  const column = "  received ".length + quote(a.subarray(0, at)).length - 1;
  return [expectedLine, receivedLine, `${" ".repeat(column)}^ first difference at byte ${at + 1}`];
}

/** Bytes as a double-quoted string with \n, \r, \t and other control bytes escaped. */
function quote(bytes) {
  const text = bytes.toString("utf8");
  const escaped = text.replace(/[\p{Cc}"\\]/gu, (character) => {
    const named = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    const code = character.codePointAt(0) ?? 0;
    if (character === '"' || character === "\\") return `\\${character}`;
    return named[character] ?? `\\x${code.toString(16).padStart(2, "0")}`;
  });
  return `"${escaped}"`;
}
