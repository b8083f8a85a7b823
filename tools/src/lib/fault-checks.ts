// What the faults and races suites check after each fault: the seed's replies, a server that
// still serves, and output a student can read (a sentence, never a stack trace or `undefined`).
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Socket } from "node:net";
import { lessonNumbered, runLesson, startLessonServer } from "./lessons.ts";
import { listenOnFreePort } from "./ports.ts";
import { exchange } from "./tcp.ts";

/** The seed's replies, as lesson 3's server sends them. */
export const PYTHON = "CourseName:Python,Duration:1Year,Fee=4000\n";
export const C = "CourseName:C,Duration:2Months,Fee=1000\n";
export const NOT_AVAILABLE = "this course is not available\n";

/** How a server names a client: its address, or in words when the client was already gone. */
export const CLIENT = String.raw`(127\.0\.0\.1:\d+|a client that had already gone)`;

export const noStackTrace = (lines: string[]) => !lines.some((line) => /^\s+at /.test(line));

/** No stack trace and no `undefined` anywhere in what a program printed. */
export function assertReadable(output: { stdout: string[]; stderr: string[] }): void {
  const all = [...output.stdout, ...output.stderr];
  assert.ok(noStackTrace(all), all.join("\n"));
  assert.ok(!all.some((line) => line.includes("undefined")), all.join("\n"));
}

/** Starts a lesson's server on a free port, killed when the test ends. */
export async function startServer(t: TestContext, lesson: number, args: string[] = []) {
  const started = await startLessonServer(lessonNumbered(lesson), args);
  t.after(() => started.server.child.kill("SIGKILL"));
  return started;
}

/** The check after every fault on lesson 3: fresh client answered, alive, nothing left open. */
export async function assertStillServing(started: Awaited<ReturnType<typeof startServer>>) {
  const { server, port } = started;
  assert.equal(await exchange(port, ["python\n"]), PYTHON);
  assert.equal(server.child.exitCode, null, "the server process is alive");
  if (process.platform === "win32") return; // No SIGINT to send; the rest was checked.
  server.interrupt();
  assert.equal(await server.exit(2_000), 0);
  assert.match(server.stdout.at(-1) ?? "", /; 0 connection\(s\) had to be cut off\.$/);
}

/** Runs a lesson's client to its end. */
export function runClient(lesson: number, args: string[]) {
  return runLesson(lessonNumbered(lesson), "client", args);
}

/** A stand-in server on a free port that does `talk` with each connection. */
export async function fakeServer(t: TestContext, talk: (socket: Socket) => void) {
  const { server, port } = await listenOnFreePort(talk);
  t.after(() => server.close());
  return String(port);
}
