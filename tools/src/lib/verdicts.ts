// What the tests ask of every verdict the steps give, whichever program they judged.
import assert from "node:assert/strict";

/** The reporter's account of the first failing step: `The first step to fix is step N: name`. */
export function firstFailure(stdout: string[]): string {
  return stdout.find((line) => line.startsWith("The first step to fix")) ?? "(no failing step)";
}

/**
 * A verdict is for a student: no assertion library's wording, no regular expression, no stack
 * frame and nothing of Node's internals, whatever failed.
 */
export function assertPlainVerdict(output: string): void {
  for (const [jargon, what] of [
    [/strictly|deep-equal|!==|===/, "assertion wording"],
    [/regular expression|\/\^|\\d\+|\$\//, "a regular expression"],
    [/^\s+at /m, "a stack frame"],
    [/node:internal/, "Node's internals"],
    [/^\s*(read|write|connect) E[A-Z]+\b/m, "a socket's bare error code"],
  ] as const) {
    assert.doesNotMatch(output, jargon, `the verdict shows ${what}:\n${output}`);
  }
}
