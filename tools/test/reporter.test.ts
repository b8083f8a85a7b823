// The lessons' reporter speaks to a student: a failed comparison is shown as what was expected
// and what arrived, in plain words, never in assert's own ("strictly deep-equal", `1 !== 0`).
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ANY_LOOPBACK, lineLike } from "../shared/check/harness.ts";
import { lessonNumbered, repositoryRoot, studentEnvironment } from "../src/lib/lessons.ts";
import { runProcess, startProcess } from "../src/lib/process.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { SKIP_TYPES } from "../shared/check/types.ts";

const reporter = join(repositoryRoot, "tools", "shared", "check", "reporter.js");

/** The reporter's account of one failing step whose body is `body`. */
async function verdictFor(body: string): Promise<string> {
  const { code, output } = await reportOn(`test("the step", () => { ${body} });`);
  assert.equal(code, 1, output);
  return output;
}

/**
 * The reporter's output, and node's exit code, for a step file made of `steps`; `args` go to
 * node before `--test`, `env` beside the student's environment.
 */
async function reportOn(
  steps: string,
  { args = [], env = {} }: { args?: string[]; env?: Record<string, string> } = {},
): Promise<{ code: number | null; output: string }> {
  const folder = temporaryFolder("reporter");
  try {
    const file = join(folder, "step.test.mjs");
    writeFileSync(
      file,
      `import assert from "node:assert/strict";\nimport { test } from "node:test";\n${steps}\n`,
    );
    const result = await runProcess(
      process.execPath,
      [...args, "--test", `--test-reporter=${reporter}`, file],
      { cwd: folder, env: { ...studentEnvironment(), ...env }, timeoutMs: 30_000 },
    );
    return { code: result.code, output: result.stdout.join("\n") };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const jargon = /strictly|deep-equal|!==|\+ actual - expected|node:internal|^\s+at /m;

test("two numbers: expected and received, in words", async () => {
  const verdict = await verdictFor("assert.equal(1, 0);");
  assert.doesNotMatch(verdict, jargon);
  assert.match(verdict, /^ {2}expected 0\n {2}received 1$/m);
});

test("a step's own label is kept above the numbers", async () => {
  const verdict = await verdictFor(`assert.equal(1, 0, "the client's exit code");`);
  assert.doesNotMatch(verdict, jargon);
  assert.match(verdict, /^ {2}the client's exit code\n {2}expected 0\n {2}received 1$/m);
});

test("lines of text: escaped once, with their true byte counts", async () => {
  const verdict = await verdictFor(`assert.deepEqual(["Hello Client\\n"], ["Hello Client"]);`);
  assert.doesNotMatch(verdict, jargon);
  assert.match(verdict, /^ {2}expected "Hello Client" \(12 bytes\)$/m);
  assert.match(verdict, /^ {2}received "Hello Client\\n" \(13 bytes\)$/m);
});

test("an error that is not a comparison: its sentence alone", async () => {
  const verdict = await verdictFor(
    `throw new Error("server.ts did not print a line within 10 s.");`,
  );
  assert.doesNotMatch(verdict, jargon);
  assert.match(verdict, /^ {2}server\.ts did not print a line within 10 s\.$/m);
  assert.doesNotMatch(verdict, /expected|received/);
});

test("a socket's bare error code is a sentence that says what the other side did", async () => {
  for (const [error, sentence] of [
    [
      "read ECONNRESET",
      /^ {2}While the step read, the other side reset the connection \(ECONNRESET\): it closed it abruptly/m,
    ],
    [
      "connect ECONNREFUSED 127.0.0.1:40901",
      /^ {2}Connecting to 127\.0\.0\.1:40901, the connection was refused \(ECONNREFUSED\): nothing was listening there\.$/m,
    ],
    [
      "write EPIPE",
      /^ {2}While the step wrote, the other side had already closed the connection \(EPIPE\)/m,
    ],
  ] as const) {
    const code = error.split(" ")[1] ?? "";
    const verdict = await verdictFor(
      `throw Object.assign(new Error(${JSON.stringify(error)}), { code: ${JSON.stringify(code)} });`,
    );
    assert.match(verdict, sentence);
    assert.doesNotMatch(verdict, new RegExp(`^ {2}${error}$`, "m"), "the bare code");
  }
});

test("a hole in another file than the hint's leads the hint: that file and line first", async () => {
  const hole =
    "common/first-connection.ts line 14 is still to be written: wait for the first connection.";
  const steps = (hintFile: string) => `test("the step", (t) => {
    t.diagnostic(${JSON.stringify(`Hint: ${hintFile}: wait for the first connection, then print it.`)});
    t.diagnostic(${JSON.stringify(`Hole: ${hole}`)});
    assert.equal(1, 0);
  });`;
  const elsewhere = await reportOn(steps("server.ts"));
  assert.match(
    elsewhere.output,
    /^ {2}Hint: common\/first-connection\.ts line 14 comes first: server\.ts is waiting on the hole there\. Then, server\.ts: wait/m,
  );
  const same = await reportOn(steps("common/first-connection.ts"));
  assert.match(
    same.output,
    /^ {2}Hint: common\/first-connection\.ts: wait for the first connection/m,
  );
});

test("a line that does not have its form: the line, and where the README shows the form", async () => {
  const verdict = await verdictFor(
    `assert.match("Server is running on 127.0.0.1:4", /^Server is running on 127\\.0\\.0\\.1:\\d+ and \\[::1\\]:\\d+$/);`,
  );
  assert.doesNotMatch(verdict, jargon);
  assert.doesNotMatch(verdict, /regular expression|\\d\+|\/\^/);
  assert.match(verdict, /^ {2}received "Server is running on 127\.0\.0\.1:4"$/m);
  assert.match(verdict, /"What you should see" in README\.md/);
});

test("a skipped step says why, and is counted as skipped, never as passed", async () => {
  const { code, output } = await reportOn(
    `test("the step", () => {});\ntest("Ctrl+C", { skip: "Windows has no SIGINT to send to a child" }, () => {});`,
  );
  assert.equal(code, 0, output);
  assert.match(
    output,
    /^- step 2: Ctrl\+C \(skipped: Windows has no SIGINT to send to a child\)$/m,
  );
  assert.match(output, /^ℹ tests 2\nℹ pass 1\nℹ fail 0\nℹ skipped 1$/m);
});

test("a line a step waits for is described as an example, never as a regular expression", () => {
  assert.equal(
    lineLike(/^Connection accepted from 127\.0\.0\.1:\d+$/),
    'like "Connection accepted from 127.0.0.1:<number>"',
  );
  assert.equal(lineLike(new RegExp(`^Sent to ${ANY_LOOPBACK}$`)), 'like "Sent to 127.0.0.1"');
  assert.equal(lineLike(/running on /i), 'containing "running on "');
  assert.equal(lineLike(/^seq=(\d+)|burst/), "of the kind this step waits for");
});

test("for npm run watch: a whole run notes its first failure; a run of that step alone keeps its number", async () => {
  const noted = join(temporaryFolder("reporter"), "last-failure.json");
  const steps = `test("a", () => {}); test("b", () => { assert.equal(1, 0); }); test("c", () => {});`;
  const whole = await reportOn(steps, { env: { SOCKET_LESSONS_WATCH_FILE: noted } });
  assert.equal(whole.code, 1, whole.output);
  assert.deepEqual(JSON.parse(readFileSync(noted, "utf8")), { name: "b", number: 2 });
  const alone = await reportOn(steps, {
    args: ["--test-name-pattern=^b$"],
    env: { SOCKET_LESSONS_WATCH_FILE: noted, SOCKET_LESSONS_STEP_NUMBER: "2" },
  });
  assert.match(alone.output, /^✖ step 2: b$/m);
  assert.match(alone.output, /^The first step to fix is step 2: b$/m);
  assert.doesNotMatch(alone.output, /step \d+: [ac]\b/, "the other steps are left out");
  assert.match(alone.output, /^ℹ tests 1$/m);
});

test("a steps' process that ends before its steps is no step: the rest did not finish, and why", async () => {
  const { code, output } = await reportOn(
    `test("the step", () => {});\nsetTimeout(() => { throw new Error("the checker's own bug"); }, 50);`,
  );
  assert.equal(code, 1, output);
  assert.match(output, /^✔ step 1: the step$/m);
  assert.doesNotMatch(output, /step 2/, "the file itself counted as a step");
  assert.match(output, /^The steps' own process ended before its steps did/m);
  assert.match(output, /^ℹ tests 1\nℹ pass 1\nℹ fail 0$/m);
});

test("a check stopped part-way (Ctrl+C, --each's time limit) reports the steps that ended, and no step for the stop", async () => {
  const folder = temporaryFolder("stopped");
  const results = join(folder, "results.json");
  const check = startProcess(
    process.execPath,
    ["--import", "tsx", join("check", "check.ts"), "--json", results],
    {
      cwd: lessonNumbered(3).folder,
      env: { ...studentEnvironment(), [SKIP_TYPES]: "1" },
    },
  );
  await check.waitForLine(/^✔ step 1: /);
  check.child.kill("SIGTERM");
  assert.equal(await check.exit(30_000), 1, "a check that was stopped did not pass");
  const output = check.stdout.join("\n");
  assert.match(output, /^The check was stopped before its steps ended/m);
  const { steps } = JSON.parse(readFileSync(results, "utf8")) as {
    steps: { name: string; status: string }[];
  };
  assert.ok(steps.length > 0 && steps.length < 34, `${steps.length} steps recorded`);
  assert.deepEqual(
    steps.filter((step) => /lesson\.test|\.mjs/.test(step.name)),
    [],
    "the steps' file, recorded as a step",
  );
});
