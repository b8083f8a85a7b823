// Every lesson's steps, the seed's Python programs as peers, and the Python solutions, run again with `localhost`
// resolving to ::1 first, as on macOS and Windows (the contract's §5a). A task of its own in
// `npm test` (test:localhost-ipv6-first), so it runs beside the first run, not after it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { lessons, lessonSteps, studentEnvironment } from "../src/lib/lessons.ts";
import { localhostIpv6First, type CommandLine } from "../src/commands/localhost-ipv6-first.ts";
import { runProcess } from "../src/lib/process.ts";
import { SKIP_TYPES } from "../shared/check/types.ts";

const ipv6First = await localhostIpv6First();

/** Runs one test file with localhost as ::1 first; fails with the runner's list of failures. */
async function passes(folder: string, file: string, namePattern?: string): Promise<void> {
  if (ipv6First.skip !== undefined) return;
  const only = namePattern === undefined ? [] : [`--test-name-pattern=${namePattern}`];
  const command: CommandLine = [
    process.execPath,
    ...["--import", "tsx", "--test", "--test-reporter=spec", ...only, file],
  ];
  const [program, ...args] = ipv6First.wrap(command);
  const run = await runProcess(program, args, {
    cwd: folder,
    // Types do not depend on how localhost resolves: npm test's own run checks them.
    env: { ...studentEnvironment(), [SKIP_TYPES]: "1" },
    timeoutMs: 5 * 60_000,
  });
  const failures = run.stdout.slice(
    run.stdout.findIndex((line) => line.includes("failing tests:")),
  );
  assert.equal(run.code, 0, [...failures, ...run.stderr].join("\n"));
  const passed = run.stdout.find((line) => line.startsWith("ℹ pass "));
  assert.ok(passed !== undefined && passed !== "ℹ pass 0", `${file} passed no tests`);
}

/** Why this run is skipped: it cannot be done here, or npm test's own run already was it. */
const skip =
  ipv6First.skip ??
  (ipv6First.already === true &&
    "localhost already resolves to ::1 first here, so npm test's own run was this run");

describe("with localhost resolving to ::1 first", { skip }, () => {
  for (const lesson of lessons) {
    test(`lesson ${lesson.number}'s steps pass`, async () => {
      await passes(lesson.folder, lessonSteps);
    });
  }
  test("the seed's Python programs and our lessons still meet, both ways round", async () => {
    await passes(fileURLToPath(new URL("..", import.meta.url)), "test/peers.test.ts");
  });
  test("the Python solutions pass npm run check's steps", async () => {
    const tools = fileURLToPath(new URL("..", import.meta.url));
    await passes(tools, "test/checker.test.ts", "the Python solution");
  });
});
