// The lessons' harness starts each step's programs. When the system refuses for a moment to start
// one (Windows: spawn UNKNOWN, seen under CI's Wine check), the step must not fail on it, and a
// refusal that lasts must say in plain words that it is the computer, not the student's code.
import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import { spawnPatiently, startCommand } from "../shared/check/harness.ts";

/** A spawn that throws the error Node throws for `code`, for its first `refusals` calls. */
function refusing(code: string, refusals: number) {
  const started = { pid: 1234 };
  let calls = 0;
  const spawnOnce = () => {
    calls += 1;
    if (calls <= refusals) {
      throw Object.assign(new Error(`spawn ${code}`), { code, syscall: "spawn" });
    }
    return started;
  };
  return { spawnOnce, started, calls: () => calls };
}

test("a program the system refuses to start for a moment starts on a later try", async () => {
  const spawn = refusing("UNKNOWN", 2);
  assert.equal(await spawnPatiently(spawn.spawnOnce, "server.ts"), spawn.started);
  assert.equal(spawn.calls(), 3);
});

test("a refusal that lasts is one sentence: not the student's code, and what to do", async () => {
  const spawn = refusing("EBUSY", Infinity);
  await assert.rejects(spawnPatiently(spawn.spawnOnce, "client.ts"), {
    message:
      "This computer refused 3 times to start client.ts (spawn EBUSY); that is not your code. Close some programs, or let the antivirus finish scanning this folder, then run the check again.",
  });
  assert.equal(spawn.calls(), 3);
});

test("any other failure to start is not tried again, and keeps its own error", async () => {
  const spawn = refusing("E2BIG", 1);
  await assert.rejects(spawnPatiently(spawn.spawnOnce, "client.ts"), { code: "E2BIG" });
  assert.equal(spawn.calls(), 1);
});

test("a program whose output ends before its error lines are read still has them in its verdict", async () => {
  // Its stdout closes first; what it says on stderr comes 200 ms later, as it exits: the order
  // in which a loaded machine may deliver the two (an exercise's hole went unnamed so, once).
  const late = [
    "process.stdout.end();",
    "setTimeout(() => { console.error('server.ts line 21 is still to be written'); }, 200);",
  ].join("\n");
  const program = await startCommand(process.execPath, ["-e", late], undefined, false, "server.ts");
  await assert.rejects(program.waitForLine(/running on /), {
    message:
      'server.ts ended without printing a line containing "running on ".\nIt said: server.ts line 21 is still to be written',
  });
});

/** Holds this process still for `ms`, as a busy machine or a paused virtual machine can. */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A program that prints `ready`, then exits 0 at Ctrl+C, or never if `ignoresCtrlC`. */
function waitsForCtrlC(ignoresCtrlC = false) {
  const onCtrlC = ignoresCtrlC ? "() => undefined" : "() => process.exit(0)";
  const source = `process.on('SIGINT', ${onCtrlC}); console.log('ready'); setInterval(() => {}, 1000);`;
  return startCommand(process.execPath, ["-e", source], undefined, false, "server.ts");
}

test("a program that answers while the check itself is stalled is judged by its answer", async () => {
  // A Python server was once judged not to stop within 2 s of Ctrl+C, though it stops in
  // milliseconds: the check had been held still past the limit, and its late timer ran first.
  const program = await waitsForCtrlC();
  await program.waitForLine(/ready/);
  program.child.kill("SIGINT");
  const exited = program.exit(1_000);
  stall(1_500);
  assert.equal(await exited, 0);

  const late = `setTimeout(() => console.log('late'), 100); setInterval(() => {}, 1000);`;
  const printer = await startCommand(process.execPath, ["-e", late], undefined, false, "a.js");
  const line = printer.waitForLine(/late/, 1_000);
  stall(1_500);
  assert.equal(await line, "late");
  printer.child.kill();
});

test("a program that does not answer still fails at its limit, and is stopped", async () => {
  const program = await waitsForCtrlC(true);
  await program.waitForLine(/ready/);
  program.child.kill("SIGINT");
  const started = performance.now();
  await assert.rejects(program.exit(500), { message: "server.ts did not exit within 0.5 s." });
  const waited = performance.now() - started;
  assert.ok(waited >= 500 && waited < 1_500, `judged after ${Math.round(waited)} ms`);
  const { child } = program;
  if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
  assert.equal(child.signalCode, "SIGKILL", "stopped by the check");
});
