// Test harness: runs this lesson's programs as real processes, the way a student does, and
// waits for their output with a time limit instead of sleeping.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  spawn,
  spawnSync,
  type ChildProcess,
  type ChildProcessWithoutNullStreams,
} from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants } from "node:os";
import { on, once } from "node:events";
import { createSocket, type Socket as DgramSocket } from "node:dgram";
import { connect, createServer, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { after, test, type TestContext, type TestOptions } from "node:test";
import { createInterface } from "node:readline";
import {
  datagramDiagram,
  describeBytes,
  markdown,
  SHOWN_BY,
  tcpDiagram,
  type Lifelines,
  type WireEvent,
} from "./diagram.ts";
import { deadline } from "./deadline.ts";
import { inSource, nodeArguments, STEPS_PID } from "./programs.ts";
import { atTheEnd } from "./temporary.ts";
import { describeTypeErrors, SKIP_TYPES, typeErrors } from "./types.ts";
import {
  commandFor,
  FIRST_FAILURE_ONLY,
  givenAny,
  hasFeature,
  notApplicable,
  limitReached,
  shownCommand,
  spawnGiven,
  stopTree,
  UNDER_TEST,
  type Needs,
  type Role,
} from "./under-test.ts";
import { setTimeout as pause } from "node:timers/promises";

/** The lesson's folder, where its programs are, one above this checker's. */
const folder = new URL("..", import.meta.url);

/**
 * Under Wine: the repository's Windows check runs these steps with Node for Windows under Wine
 * on Linux (tools/src/windows-steps.ts). Wine is not Windows; what differs only there is named
 * where it is handled.
 */
export const underWine = process.platform === "win32" && process.env.WINEPREFIX !== undefined;

/**
 * How many steps run at once: `wanted`, or one at a time under Wine, where programs that start
 * together start one after another, about half a second each (a Wine artifact).
 */
export function atOnce(wanted: number | true): number | true {
  return underWine ? 1 : wanted;
}

/**
 * Why a step that listens on every interface (0.0.0.0) is skipped on a student's Windows or macOS
 * machine: the firewall asks there, in the middle of the run, and "Cancel" leaves a rule that
 * blocks the lesson across two machines. CI machines have nobody to ask, and run it.
 */
export const firewallWouldAsk =
  ["win32", "darwin"].includes(process.platform) &&
  !process.env.CI &&
  "listening on 0.0.0.0 makes the Windows and macOS firewall ask for permission; CI runs this step";

/**
 * Every program a test started: a wrong program that never exits must not hang the run, and a
 * run stopped with Ctrl+C must not leave a server running.
 */
const started = new Set<ChildProcess>();
/** The programs given to check.ts, each in a process group of its own, stopped as a tree. */
const givenPrograms = new WeakSet<ChildProcess>();
function stopPrograms(): void {
  for (const child of started) stopChild(child);
}
atTheEnd(stopPrograms);
// At the end of the steps, so that their process can exit; temporary.ts removes its folders.
after(stopPrograms);

export interface Program {
  child: ChildProcess;
  /** How a verdict names it: server.ts, or the command given. */
  name: string;
  /** For a command given: the port that filled its {port}. */
  port?: string;
  stdout: string[];
  stderr: string[];
  /** What it said on stderr, and why the check stopped it, as lines for a verdict. */
  said(): string;
  /** Resolves with the first stdout line matching `pattern`; rejects after `ms` or at exit. */
  waitForLine(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with the first `count` stdout lines matching `pattern`; rejects like waitForLine. */
  waitForLines(pattern: RegExp, count: number, ms?: number): Promise<string[]>;
  /** Resolves once stdout so far matches `pattern`, even mid-line (a prompt); rejects after `ms`. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<void>;
  /** Resolves with the exit code once the process ends; rejects after `ms`. */
  exit(ms?: number): Promise<number | null>;
}

/**
 * Starts `file` (server.ts or client.ts), as `npm run server` would; or, where check.ts was given
 * a command for that program, that command (startGiven).
 */
export async function start(file: string, args: string[] = [], input?: string): Promise<Program> {
  const role = ROLES[file];
  if (role !== undefined && commandFor(role) !== undefined) return startGiven(role, args, input);
  const node = await nodeArguments(file, { sourceMaps: "read by the caller" });
  return startCommand(process.execPath, [...node, ...args], input, false, file);
}

const ROLES: Record<string, Role> = { "server.ts": "server", "client.ts": "client" };

/** Starts any command in this folder; with `keepStdin`, the test writes stdin itself. */
export async function startCommand(
  file: string,
  args: string[],
  input?: string,
  keepStdin = false,
  name = file,
): Promise<Program> {
  const child = await spawnPatiently(
    () =>
      spawn(file, args, {
        cwd: folder,
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, [STEPS_PID]: String(process.pid) },
      }),
    name,
  );
  return watched(child, name, input, keepStdin);
}

/**
 * The command given for `role` (under-test.ts), started with what the step gave this lesson's
 * program: its --port and --host fill {port} and {host}, and its other words (a course name)
 * come as lines of standard input, as the seed's input() reads them. The step's other flags
 * belong to this lesson's own program, and a step that needs them does not apply here.
 */
async function startGiven(role: Role, args: string[], input?: string): Promise<Program> {
  const { values, positionals } = parseArgs({
    args,
    options: VALUE_FLAGS,
    strict: false,
    allowPositionals: true,
  });
  const port =
    values.port === "0" || values.port === undefined ? await portForGiven() : values.port;
  const host = typeof values.host === "string" ? values.host : "localhost";
  const child = spawnGiven(role, { port: String(port), host });
  const name = shownCommand(role, { port: String(port), host });
  // A command that does not exist is an 'error' event, not an exception: say it in words.
  const spawned = await once(child, "spawn").then(
    () => undefined,
    (error: unknown) => error as NodeJS.ErrnoException,
  );
  if (spawned !== undefined) {
    const what = spawned.code === "ENOENT" ? "was not found" : `could not start (${spawned.code})`;
    throw new Error(
      `The ${role}'s command ${JSON.stringify(child.spawnfile)} ${what}: check its spelling, or give its full path.`,
    );
  }
  const lines = positionals.length > 0 ? `${positionals.join("\n")}\n` : undefined;
  const program = watched(child, name, input ?? lines, false, true);
  program.port = String(port);
  return program;
}

/**
 * Ports for a program given to check.ts, which binds the port it is told: from 20000 to 32767,
 * below every system's ephemeral range (Linux 32768 up, macOS and Windows 49152 up), so that no
 * connection's own port takes it between the choice and the program's bind; each free when
 * chosen, on TCP and UDP, and never handed out twice in one run.
 */
const GIVEN_PORTS = { lowest: 20_000, highest: 32_767 };
const handedOut = new Set<number>();

async function portForGiven(): Promise<string> {
  for (;;) {
    const { lowest, highest } = GIVEN_PORTS;
    const port = lowest + Math.floor(Math.random() * (highest - lowest + 1));
    if (handedOut.has(port) || !(await isFree(port))) continue;
    handedOut.add(port);
    return String(port);
  }
}

/** Whether nothing holds `port` on 127.0.0.1 (TCP and UDP) and ::1 (TCP), tried by binding. */
async function isFree(port: number): Promise<boolean> {
  const tries = [
    () => createServer().listen(port, "127.0.0.1"),
    () => createServer().listen({ port, host: "::1", ipv6Only: true }),
  ];
  for (const listen of tries) {
    const probe = listen();
    const outcome = await once(probe, "listening").then(
      () => undefined,
      (error: unknown) => error as NodeJS.ErrnoException,
    );
    probe.close();
    const code = outcome?.code;
    // No IPv6 here at all is not a taken port.
    if (code !== undefined && code !== "EADDRNOTAVAIL" && code !== "EAFNOSUPPORT") return false;
  }
  const udp = createSocket("udp4");
  udp.bind(port, "127.0.0.1");
  const bound = await once(udp, "listening").then(
    () => true,
    () => false,
  );
  if (bound) udp.close();
  return bound;
}

/** Every lesson's flags that take a value: their values are not input for a program given. */
const VALUE_FLAGS = Object.fromEntries(
  ["port", "host", "pause", "timeout", "idle-timeout", "max-connections", "catalog", "count"].map(
    (flag) => [flag, { type: "string" as const }],
  ),
);

/** How long a given program's output may stay open after it exits: then it left children. */
const LEFT_BEHIND_MS = 500;

/** At most this much output from one program: a program that floods is stopped, and says so. */
const OUTPUT_LIMIT = 1024 * 1024;

/** Collects a started program's output, line by line, for the step's waits. */
function watched(
  child: ChildProcessWithoutNullStreams,
  name: string,
  input: string | undefined,
  keepStdin: boolean,
  group = false,
): Program {
  started.add(child);
  if (group) givenPrograms.add(child);
  // A process group stays until the step's end: what the program started may outlive it.
  if (!group) child.once("exit", () => started.delete(child));
  child.stdin.on("error", () => undefined); // A program that exits without reading its input.
  if (!keepStdin) child.stdin.end(input);
  let printed = 0;
  const notes: string[] = [];
  const count = (chunk: Buffer) => {
    printed += chunk.length;
    if (printed <= OUTPUT_LIMIT || notes.length > 0) return;
    notes.push(`It printed more than ${OUTPUT_LIMIT / 1024 / 1024} MB, so the check stopped it.`);
    stopChild(child);
  };
  child.stdout.on("data", count);
  child.stderr.on("data", count);
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const out = createInterface({ input: child.stdout });
  const err = createInterface({ input: child.stderr });
  const stdout: string[] = [];
  const stderr: string[] = [];
  out.on("line", (line) => stdout.push(line));
  const heard = stepHeard.getStore();
  if (group) {
    heard?.given.push({ child, name, startedAt: performance.now() });
    child.once("exit", (code, signal) => {
      const crash = crashed(child, code, signal);
      if (crash !== undefined) heard?.ended.push(`${name} ${crash}`);
    });
  }
  err.on("line", (said) => {
    const line = inSource(said);
    const limit = limitReached(line);
    if (limit !== undefined) return void notes.push(limit);
    stderr.push(line);
    if (heard === undefined) return;
    if (HOLE.test(line)) heard.holes.add(line);
    else if (line.trim() !== "" && !STACK_FRAME.test(line)) heard.said.push(`${name}: ${line}`);
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const outputDone = Promise.all([once(out, "close"), once(err, "close")]);
  // A given program that exits while what it started still holds its output open has left
  // children behind: they are stopped, and its exit() says so.
  let leftBehind = false;
  if (group) {
    void exited.then(async () => {
      const closed = await Promise.race([outputDone.then(() => true), pause(LEFT_BEHIND_MS)]);
      if (closed === true) return;
      leftBehind = true;
      stopTree(child);
    });
  }
  /** Its error lines without a crash's stack frames: what it meant. */
  const meant = () => stderr.filter((line) => line.trim() !== "" && !STACK_FRAME.test(line));
  /** What the program said on stderr, for a failure message. */
  const said = () =>
    [
      ...notes,
      ...(meant().length > 0 ? [`It said: ${meant().slice(0, SAID_LINES).join("\n")}`] : []),
    ]
      .map((note) => `\n${note}`)
      .join("");

  const program: Program = {
    child,
    name,
    stdout,
    stderr,
    said,
    async waitForLine(pattern, ms = 10_000) {
      const [line = ""] = await this.waitForLines(pattern, 1, ms);
      return line;
    },
    async waitForLines(pattern, count, ms = 10_000) {
      const seen = stdout.filter((line) => pattern.test(line));
      if (seen.length >= count) return seen.slice(0, count);
      const lines = on(out, "line", { close: ["close"], signal: deadline(ms) });
      const what = `${count === 1 ? "a line" : `${count} lines`} ${lineLike(pattern)}`;
      try {
        for await (const [line] of lines as AsyncIterable<[string]>) {
          if (pattern.test(line) && seen.push(line) >= count) return seen;
        }
      } catch (error) {
        if ((error as Error).name !== "AbortError") throw error;
        throw new Error(`${name} did not print ${what} within ${ms / 1000} s.${said()}`, {
          cause: error,
        });
      }
      // Its stdout ended; what it said on stderr (a hole, a traceback) may still be on its way.
      await Promise.race([outputDone, pause(1_000)]);
      throw new Error(`${name} ended without printing ${what}.${said()}`);
    },
    async waitForOutput(pattern, ms = 10_000) {
      const timeout = deadline(ms);
      while (!pattern.test(text)) {
        await once(child.stdout, "data", { signal: timeout }).catch(() => {
          throw new Error(
            `${name} printed nothing like ${lineLike(pattern)} within ${ms / 1000} s.`,
          );
        });
      }
    },
    async exit(ms = 10_000) {
      const tooLate = once(deadline(ms), "abort").then(() => {
        // Stopped by the check, so that no verdict calls its end a crash; once, while it runs.
        if (child.exitCode === null && child.signalCode === null) stopChild(child);
        throw new Error(`${name} did not exit within ${ms / 1000} s.${said()}`);
      });
      const [code] = await Promise.race([Promise.all([exited, outputDone]), tooLate]);
      if (leftBehind) {
        throw new Error(
          `${name} exited (${code}), but left running a process it had started, which held its output open; the check stopped it. A program ends what it starts before it exits.`,
        );
      }
      return code;
    },
  };
  return program;
}

/** What a signal that ends a program says of it, for the signals a crash sends. */
const SIGNAL_MEANS: Record<string, string> = {
  SIGSEGV: "it crashed: it touched memory it may not (a segmentation fault)",
  SIGBUS: "it crashed: it touched memory it may not",
  SIGABRT: "it aborted itself: a failed assertion, or an error it could not recover from",
  SIGFPE: "it crashed: an arithmetic fault, such as a whole number divided by zero",
  SIGILL: "it crashed: an instruction the processor cannot run",
  SIGKILL: "it was killed from outside, for example by the system when memory ran out",
};

/**
 * How a given program ended, when a signal the check did not send ended it, or undefined: a
 * shell reports a program's signal N as exit code 128 + N (`sh run.sh`), which counts too.
 */
function crashed(
  child: ChildProcess,
  code: number | null,
  signal: NodeJS.Signals | null,
): string | undefined {
  if (stoppedByCheck.has(child) || process.platform === "win32") return undefined;
  const fromShell = code !== null && code > 128 ? signalNamed(code - 128) : undefined;
  const name = signal ?? fromShell;
  if (name === undefined) return undefined;
  const how =
    signal === null
      ? `exited with code ${String(code)}, a shell's way to say it was killed by ${name}`
      : `was killed by ${name}`;
  return `${how}; ${SIGNAL_MEANS[name] ?? "a signal ended it"}.`;
}

function signalNamed(number: number): NodeJS.Signals | undefined {
  const names = Object.entries(constants.signals) as [NodeJS.Signals, number][];
  return names.find(([, value]) => value === number)?.[0];
}

/**
 * Busy waiting, on Linux: a program whose threads, together, were ready to run (on a core, or
 * queued for one) for more than half the time it ran never waited for the network. Time queued
 * counts, so a busy loop is seen however loaded the machine is; a program that waits well sleeps.
 */
const BUSY_SHARE = 0.5;

/** A sentence when a given program, still running, never waited (from /proc's schedstat). */
function busyWaiting(program: Heard["given"][number]): string | undefined {
  const { child, name, startedAt } = program;
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  const threads = `/proc/${child.pid}/task`;
  let ready = 0;
  let onCore = 0;
  try {
    for (const thread of readdirSync(threads)) {
      // Nanoseconds on a core, nanoseconds queued for one, and how many turns it had.
      const [run = 0, queued = 0] = readFileSync(`${threads}/${thread}/schedstat`, "utf8")
        .split(" ")
        .map(Number);
      onCore += run / 1e9;
      ready += (run + queued) / 1e9;
    }
  } catch {
    return undefined; // Not Linux, no scheduler statistics, or it has just exited.
  }
  const wall = (performance.now() - startedAt) / 1000;
  if (wall < 1 || ready < BUSY_SHARE * wall) return undefined;
  return `${name} was running, or ready to run, for ${ready.toFixed(1)} s in all (its threads together; ${onCore.toFixed(1)} s on a core) in the ${wall.toFixed(1)} s it ran: it kept a core busy instead of waiting. A program that waits for bytes blocks in recv() or select(); one that calls recv() again after it returned empty bytes (the other side closed) never stops.`;
}

/**
 * Why the system may refuse, for a moment, to start a program: Windows fails to create a process
 * with no named reason (spawn UNKNOWN) or finds its file "busy or locked" while an antivirus scans
 * it or many programs start at once. Node throws these at spawn(); they say nothing of the lesson.
 */
const MOMENTARY_REFUSALS = ["UNKNOWN", "EBUSY"];

const SPAWN_TRIES = 3;

/**
 * Calls `spawnOnce`, and again after a short pause, up to three times, while the system refuses
 * for a moment; a refusal that lasts becomes one sentence saying what to do.
 */
export async function spawnPatiently<Child>(spawnOnce: () => Child, name: string): Promise<Child> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return spawnOnce();
    } catch (error) {
      const { code = "" } = error as NodeJS.ErrnoException;
      if (!MOMENTARY_REFUSALS.includes(code)) throw error;
      if (attempt === SPAWN_TRIES) {
        throw new Error(
          `This computer refused ${SPAWN_TRIES} times to start ${name} (spawn ${code}); that is not your code. Close some programs, or let the antivirus finish scanning this folder, then run the check again.`,
          { cause: error },
        );
      }
      await pause(250 * attempt);
    }
  }
}

/** Runs a program to completion and returns its exit code and output. */
export async function run(file: string, args: string[] = [], input?: string) {
  const program = await start(file, args, input);
  const code = await program.exit();
  return { code, stdout: program.stdout, stderr: program.stderr };
}

/**
 * Starts the server on a free port and returns it with its port, once it is ready: this lesson's
 * own server prints the port in its first line; a server given to check.ts is ready once it
 * accepts a connection (acceptsConnection), and that first connection comes back as `first`.
 */
export async function startServer(args: string[] = [], { firstHost = "127.0.0.1" } = {}) {
  return whilePortTaken(async (attempt) => {
    const server = await start("server.ts", ["--port", "0", ...args]);
    attempt.program = server;
    // A given server that has our ready line (--has log) is ready when it prints it, as ours is.
    if (server.port !== undefined && !hasFeature("server", "log")) {
      const first = await acceptsConnection(server, firstHost, server.port);
      return { server, port: server.port, first };
    }
    const ready = await server.waitForLine(/running on /i);
    const port = /:(\d+)/.exec(ready)?.[1];
    if (port === undefined) throw new Error(`no port in "${ready}"`);
    return { server, port, first: undefined };
  });
}

/**
 * Starts lesson 4's receiver on a free port and returns it with its port, once it is ready: ours
 * prints its port in its first line; a receiver given to check.ts is ready once its UDP port is
 * bound (udpPortBound), since any datagram sent to find out would be one it prints.
 */
export async function startReceiver(args: string[] = []) {
  return whilePortTaken(async (attempt) => {
    const receiver = await start("server.ts", ["--port", "0", ...args]);
    attempt.program = receiver;
    if (receiver.port !== undefined && !hasFeature("server", "log")) {
      await udpPortBound(receiver, receiver.port);
      return { receiver, port: Number(receiver.port) };
    }
    const ready = await receiver.waitForLine(/^Receiver is running on /);
    return { receiver, port: Number(/:(\d+)/.exec(ready)?.[1]) };
  });
}

/** What a program says when its port was taken: Python's errno, Node's code, Windows' words. */
const PORT_TAKEN = /already in use|EADDRINUSE|Errno 98|Errno 48|WinError 10048/i;

/**
 * Starts a server given to check.ts again, on another port, when the port chosen for it was
 * taken between the choice and its bind (another program's, not its fault): twice at most.
 * This lesson's own servers choose their port themselves (--port 0) and never need it.
 */
async function whilePortTaken<Started>(
  startOnce: (attempt: { program?: Program }) => Promise<Started>,
): Promise<Started> {
  for (let count = 1; ; count += 1) {
    const attempt: { program?: Program } = {};
    try {
      return await startOnce(attempt);
    } catch (error) {
      if (!(await endedOnTakenPort(attempt.program)) || count === 3) throw error;
    }
  }
}

/**
 * Whether a given program ended because its port was taken. Its output can end a moment before
 * its exit is reported (a cold CI run saw it): an exit under way gets a second.
 */
async function endedOnTakenPort(program: Program | undefined): Promise<boolean> {
  if (program?.port === undefined) return false;
  await exitUnderWay(program.child, 1_000);
  const { child } = program;
  return child.exitCode !== null && program.stderr.some((line) => PORT_TAKEN.test(line));
}

/**
 * Waits up to `ms` for `child` to report its exit, if it has not: its output or its sockets can
 * end a moment before the exit is reported. A program still running costs `ms`.
 */
async function exitUnderWay(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([once(child, "exit"), pause(ms)]);
}

/**
 * Waits until some socket is bound to UDP `port`, for 5 s, without touching the port: Linux
 * lists bound sockets in /proc/net/udp and udp6, macOS and Windows in `netstat -an -p udp`.
 */
async function udpPortBound(receiver: Program, port: string): Promise<void> {
  // A row's local address, hex, e.g. `  12: 0100007F:B3A1 00000000:0000 07 ...` for 127.0.0.1:45985.
  const hex = Number(port).toString(16).toUpperCase().padStart(4, "0");
  const row = new RegExp(`^\\s*\\d+: [0-9A-F]+:${hex} `, "m");
  const bound = () => {
    if (process.platform === "linux") {
      return ["/proc/net/udp", "/proc/net/udp6"].some(
        (table) => existsSync(table) && row.test(readFileSync(table, "utf8")),
      );
    }
    const table = spawnSync("netstat", ["-an", "-p", "udp"], { encoding: "utf8" }).stdout;
    return new RegExp(`[.:]${port}\\s`).test(table);
  };
  await untilReady(
    receiver,
    () => Promise.resolve(bound() ? true : undefined),
    `bound UDP port ${port}`,
    `did not bind UDP port ${port} within ${READY_MS / 1000} s: it must receive on the port given as {port}.`,
  );
}

/**
 * Tries `ready` every 50 ms until it gives a value, for READY_MS, while `program` runs: a
 * program that exits first, or never gets ready, fails the step with what it said.
 */
async function untilReady<Ready>(
  program: Program,
  ready: () => Promise<Ready | undefined>,
  doneWhat: string,
  never: string,
): Promise<Ready> {
  const tooLate = deadline(READY_MS);
  for (;;) {
    const { exitCode, signalCode } = program.child;
    if (exitCode !== null || signalCode !== null) {
      const how = exitCode ?? signalCode;
      throw new Error(`${program.name} exited (${how}) before it ${doneWhat}.${program.said()}`);
    }
    const value = await ready();
    if (value !== undefined) return value;
    if (tooLate.aborted) throw new Error(`${program.name} ${never}${program.said()}`);
    await pause(50);
  }
}

/** How long a server given to check.ts has to accept its first connection. */
const READY_MS = 5_000;

/**
 * Connects to a server given to check.ts until it accepts, every 50 ms for 5 s, as codecrafters'
 * testers do: a program in any language prints no line the steps know. The connection is the
 * step's to use: a server that takes one client (lessons 1 and 2) takes this one.
 */
async function acceptsConnection(server: Program, host: string, port: string): Promise<Socket> {
  const where = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  const ipv6 = host.includes(":")
    ? ", on IPv6 loopback too (a client's localhost is ::1 first on macOS and Windows)"
    : "";
  const connected = async () => {
    const socket = connect({ host, port: Number(port) });
    socket.on("error", () => undefined); // The step reads it; a reset there is the step's to see.
    try {
      await once(socket, "connect");
      return socket;
    } catch {
      socket.destroy();
      return undefined;
    }
  };
  return untilReady(
    server,
    connected,
    `accepted a connection on ${where}`,
    `did not accept a connection on ${where} within ${READY_MS / 1000} s: it must listen on the port given as {port}${ipv6}.`,
  );
}

export { hasFeature };

/**
 * A connection to a server from startServer: the one that found a given server ready (a server
 * that takes one client takes that one), or a new one to this lesson's own server.
 */
export async function firstClient(
  started: { port: string; first: Socket | undefined },
  host = "127.0.0.1",
): Promise<Socket> {
  const socket = started.first ?? connect({ host, port: Number(started.port) });
  recordWire(socket); // Drawn in failed-step-N.md if the step fails.
  if (started.first === undefined) await once(socket, "connect");
  return socket;
}

/** Stops a program the step started, and whatever it started in turn. */
export function stop(program: Program): void {
  stopChild(program.child);
}

/** The programs the check stopped itself: their end by a signal is no crash of theirs. */
const stoppedByCheck = new WeakSet<ChildProcess>();

/** A given program with all it started (taskkill /T on Windows); this lesson's own, alone. */
function stopChild(child: ChildProcess): void {
  stoppedByCheck.add(child);
  if (givenPrograms.has(child)) stopTree(child);
  else child.kill("SIGKILL");
}

/**
 * Either loopback address, as a pattern: a client given `localhost` (its default) reaches
 * 127.0.0.1 or [::1], whichever the system resolves first (::1 on macOS and Windows). A step
 * that did not choose the address accepts either.
 */
export const ANY_LOOPBACK = String.raw`(?:127\.0\.0\.1|\[::1\])`;

/**
 * What a line must look like, as a student reads it, never as a regular expression:
 * `/^Connection accepted from 127\.0\.0\.1:\d+$/` is `like "Connection accepted from
 * 127.0.0.1:<number>"`, `/running on /` is `containing "running on "`, and a pattern that does
 * not read as one line (a choice, a repetition) is `of the kind this step waits for`.
 */
export function lineLike(pattern: RegExp): string {
  const whole = pattern.source.startsWith("^") && pattern.source.endsWith("$");
  const line = pattern.source.replaceAll(ANY_LOOPBACK, "127.0.0.1").replace(/^\^|\$$/g, "");
  const number = String.raw`\d+`;
  const unescaped = line.replaceAll(number, "").replace(/\\./g, "");
  if (/[()[\]|*+?{}^$]/.test(unescaped)) return "of the kind this step waits for";
  const text = `"${line.replaceAll(number, "<number>").replace(/\\(.)/g, "$1")}"`;
  return whole ? `like ${text}` : `containing ${text}`;
}

/** A port that nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<string> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  probe.close();
  return String(typeof address === "object" && address !== null ? address.port : 0);
}

/** In an exercise, how many hints the student saw for each hole (check/hints-seen.json). */
let hintsSeen: string | undefined = (() => {
  const file = new URL("hints-seen.json", import.meta.url);
  if (!existsSync(file)) return undefined;
  const seen = JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
  return Object.entries(seen)
    .map(([where, rungs]) => `${where}: ${rungs} of 3`)
    .join("; ");
})();

/** What an exercise's todo() prints when a program reaches a hole (common/todo.ts). */
const HOLE = / line \d+ is still to be written: /;

/**
 * A line of a crash's stack, whose first line (Node's) or last (Python's) says it all: Node's
 * `    at answer (server.ts:88:33)`, Python's `Traceback (most recent call last):` and its
 * indented `  File "server.py", line 9` and source lines.
 */
const STACK_FRAME = /^(\s+\S|Traceback \(most recent call last\):$)/;

/**
 * What the programs of the running step said, whatever the step checked: the holes they reached,
 * and their error stream. The reporter shows both when the step fails, so a step that failed on
 * a program's output also shows the program's own sentence, and a hole says where it is.
 */
const stepHeard = new AsyncLocalStorage<Heard>();

interface Heard {
  /** When the step started, for the times in its diagram. */
  startedAt: number;
  /** What the step's own sockets did (recordWire), drawn when the step fails. */
  wire: WireEvent[];
  /** Who the diagram's lifelines are: the program the step's sockets talk to, and theirs. */
  lifelines: Lifelines;
  connections: number;
  holes: Set<string>;
  said: string[];
  /** How a program given to check.ts ended or behaved, when that explains a failure. */
  ended: string[];
  /** The programs given to check.ts that the step started, for what they cost (busyWaiting). */
  given: { child: ChildProcess; name: string; startedAt: number }[];
}

/** A step's record, empty as it starts. */
function newHeard(): Heard {
  return {
    startedAt: performance.now(),
    wire: [],
    lifelines: STEP_AS_CLIENT,
    connections: 0,
    holes: new Set(),
    said: [],
    ended: [],
    given: [],
  };
}

/** How many of their error lines a failed step shows: the first is what a program meant. */
const SAID_LINES = 3;

/**
 * A step's backstop. Every wait inside a step has its own limit of seconds (a program that hangs
 * fails there); this one only stops a step that runs many programs on a very busy machine.
 */
const STEP_TIMEOUT_MS = 60_000;

/**
 * One step of the lesson, in the order a student writes the code: a test with its own time
 * limit, whose hint the reporter shows if it is the first step to fail. `anyLanguage` is the
 * hint for a program given to check.ts, in no Node words: the calls every language has.
 */
export function step(
  name: string,
  hint: string,
  run: (t: TestContext) => Promise<void>,
  options: TestOptions & { needs?: Needs; anyLanguage?: string; evenAfterAFailure?: boolean } = {},
): void {
  const {
    needs = { server: "behaviour", client: "behaviour" },
    anyLanguage,
    evenAfterAFailure = false,
    ...testOptions
  } = options;
  const skip = notApplicable(needs) || testOptions.skip;
  const number = (stepsDeclared += 1);
  test(name, { timeout: STEP_TIMEOUT_MS, ...testOptions, skip }, async (t) => {
    if (process.env[FIRST_FAILURE_ONLY] === "1" && number > firstFailed && !evenAfterAFailure) {
      t.skip(`step ${firstFailed} failed first`);
      return;
    }
    // A program given to check.ts gets the hint in the words of sockets in any language, where
    // the step has them; else "server.ts: listen ..." becomes "listen ...".
    const shown = givenAny() ? (anyLanguage ?? hint.replace(/^(server|client)\.ts: /, "")) : hint;
    t.diagnostic(`Hint: ${shown}`);
    if (hintsSeen !== undefined) {
      t.diagnostic(`Hints seen (npm run hint), for the teacher: ${hintsSeen}`);
      hintsSeen = undefined; // Once, on the first step to run.
    }
    const heard = newHeard();
    try {
      await stepHeard.run(heard, () => run(t));
    } catch (error) {
      firstFailed = Math.min(firstFailed, number);
      const message = error instanceof Error ? error.message : String(error);
      for (const line of heard.said.slice(0, SAID_LINES)) {
        if (!message.includes(line.slice(line.indexOf(": ") + 2))) t.diagnostic(`Said: ${line}`);
      }
      // The exchange as it was when the step failed, before anything closes after it.
      const drawn = drawWire(heard, number, name);
      // A crash closes a program's sockets a moment before its exit is reported: its sentence
      // (crashed) comes with the exit, so an end under way gets a moment to arrive.
      await Promise.all(heard.given.map(({ child }) => exitUnderWay(child, 250)));
      for (const program of heard.given) {
        const busy = busyWaiting(program);
        if (busy !== undefined) heard.ended.push(busy);
      }
      if (drawn !== undefined) heard.ended.push(drawn);
      for (const ended of heard.ended) t.diagnostic(`Ended: ${ended}`);
      throw error;
    } finally {
      for (const hole of heard.holes) t.diagnostic(`Hole: ${hole}`);
    }
  });
}

/** Steps in the order they are declared, which is the order the reporter numbers them. */
let stepsDeclared = 0;
/** The lowest number of a step that failed so far (FIRST_FAILURE_ONLY). */
let firstFailed = Number.POSITIVE_INFINITY;

/**
 * Where a failed step's diagram goes: the folder the check was typed in (a lesson folder, for
 * npm test). A whole run first removes the ones an earlier run left.
 */
const diagramFolder = process.env[UNDER_TEST.folder] ?? fileURLToPath(folder);
const DIAGRAM_FILE = /^failed-step-\d+\.md$/;
if (process.env.SOCKET_LESSONS_STEP_NUMBER === undefined && existsSync(diagramFolder)) {
  for (const file of readdirSync(diagramFolder).filter((name) => DIAGRAM_FILE.test(name))) {
    rmSync(join(diagramFolder, file), { force: true });
  }
}

/** The lifelines of a step that plays the client, and of one that plays the server. */
const STEP_AS_CLIENT: Lifelines = {
  program: "the server",
  peer: (n) => `the step's connection ${n}`,
};
const STEP_AS_SERVER: Lifelines = {
  program: "the client",
  peer: (n) => `the step's server, connection ${n}`,
};

/**
 * Records what `socket`, one of the step's own, sends and receives, and when: if the step fails,
 * the exchange is drawn as a sequence diagram (diagram.ts), seen from the program it talks to.
 * `stepIs` says which end the step plays: "server" for a connection its own server accepted.
 */
export function recordWire(socket: Socket, stepIs: "client" | "server" = "client"): void {
  const heard = stepHeard.getStore();
  if (heard === undefined) return;
  heard.connections += 1;
  heard.lifelines = stepIs === "client" ? STEP_AS_CLIENT : STEP_AS_SERVER;
  const peer = String(heard.connections);
  const note = (kind: WireEvent["kind"], data?: Buffer | string) => {
    const at = (performance.now() - heard.startedAt) / 1000;
    heard.wire.push({
      at,
      peer,
      kind,
      ...(data === undefined ? {} : { bytes: describeBytes(data) }),
    });
  };
  // A connection still connecting is drawn once it is accepted, or as refused.
  if (!socket.connecting) note(stepIs === "client" ? "accepted" : "connected");
  else
    socket.prependOnceListener("connect", () => {
      note("accepted");
    });
  socket.prependListener("data", (chunk: Buffer) => {
    note("sent", chunk);
  });
  socket.prependListener("end", () => {
    note("our FIN");
  });
  socket.prependListener("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "ECONNRESET") note("our reset");
    if (error.code === "ECONNREFUSED") note("refused");
  });
  socket.prependListener("close", () => {
    note("closed");
  });
  const [write, end] = [socket.write.bind(socket), socket.end.bind(socket)];
  socket.write = ((...args: Parameters<Socket["write"]>) => {
    if (typeof args[0] === "string" || Buffer.isBuffer(args[0])) note("received", args[0]);
    return write(...args);
  }) as Socket["write"];
  socket.end = ((...args: Parameters<Socket["end"]>) => {
    if (typeof args[0] === "string" || Buffer.isBuffer(args[0])) note("received", args[0]);
    note("their FIN");
    return end(...args);
  }) as Socket["end"];
}

/**
 * Records each datagram `socket`, one of the step's own, sends to the program and receives from
 * it: if the step fails, they are drawn (datagramDiagram). `program` names the program's role.
 */
export function recordDatagrams(socket: DgramSocket, program: "the receiver" | "the sender"): void {
  const heard = stepHeard.getStore();
  if (heard === undefined) return;
  heard.lifelines = { program, peer: () => "the step's socket" };
  const note = (kind: WireEvent["kind"], data: Buffer | string) => {
    const at = (performance.now() - heard.startedAt) / 1000;
    heard.wire.push({ at, peer: "the step's socket", kind, bytes: describeBytes(data) });
  };
  socket.prependListener("message", (data: Buffer) => {
    note("datagram sent", data);
  });
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  socket.send = ((...args: unknown[]) => {
    const [data] = args;
    if (typeof data === "string" || Buffer.isBuffer(data)) note("datagram received", data);
    send(...args);
  }) as DgramSocket["send"];
}

/** Writes a failed step's exchange to failed-step-N.md; the sentence that names the file. */
function drawWire(heard: Heard, number: number, name: string): string | undefined {
  if (heard.wire.length === 0) return undefined;
  const file = `failed-step-${number}.md`;
  try {
    const title = `Step ${number}: ${name}, as the step's own sockets saw it`;
    writeFileSync(join(diagramFolder, file), markdown(title, diagramOf(heard)));
  } catch {
    return undefined; // A folder it may not write to: the verdict stands without its picture.
  }
  return `The exchange, as the step's own sockets saw it, is drawn in ${file}: ${SHOWN_BY}`;
}

/** A step's record as a diagram: its datagrams, or its TCP connections. */
function diagramOf(heard: Heard): string {
  const udp = heard.wire.some((event) => event.kind.startsWith("datagram"));
  return udp
    ? datagramDiagram(heard.wire, heard.lifelines.program)
    : tcpDiagram(heard.wire, heard.lifelines);
}

/**
 * The type check, as the last step: it starts now, beside the behaviour steps, and is listed
 * after them, so that the first behaviour that fails still leads the verdict.
 */
export function typeCheckStep(): void {
  // Watch's run of the one step that failed last (watch.ts) starts tsc only if that is this one.
  const oneStepRun = process.env.SOCKET_LESSONS_STEP_NUMBER !== undefined;
  // The repository's checks of behaviour mistakes leave it out: tsc is a third of a run's CPU.
  const skip =
    (process.env[SKIP_TYPES] === "1" && "the caller checks behaviour only") ||
    (givenAny() && "not applicable: it checks this lesson's own TypeScript files");
  const checked = oneStepRun || skip !== false ? undefined : typeErrors();
  checked?.catch(() => undefined); // Its step reports a failure; a run without it ignores it.
  step(
    "the types: TypeScript finds no error in the lesson's files",
    "Each error names the file and line, and says which value's type does not fit where it is used: change the value, or declare the type you meant. npm run typecheck lists them all.",
    async () => {
      const errors = await (checked ?? typeErrors());
      if (errors.length > 0) throw new Error(describeTypeErrors(errors));
    },
    { skip, evenAfterAFailure: true },
  );
}
