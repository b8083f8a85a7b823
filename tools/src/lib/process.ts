// The one helper that starts a program and reads its output line by line, for the tour and for
// every test in tools. Waits always have a time limit; nothing sleeps.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { on, once } from "node:events";
import { createInterface, type Interface } from "node:readline";
import { deadline } from "../../shared/check/deadline.ts";

export interface StartOptions {
  cwd?: string;
  /** Text for stdin; stdin is closed either way unless `keepStdin` is set. */
  input?: string;
  keepStdin?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Its own process group, so that `interrupt()` reaches npm and everything under it. */
  detached?: boolean;
  /** Called for each output line as it arrives (the tour prints them live). */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

export interface RunningProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** The first stdout line matching `pattern`; rejects after `ms` or if output ends first. */
  waitForLine(pattern: RegExp, ms?: number): Promise<string>;
  /** The first `count` stdout lines matching `pattern`; rejects like `waitForLine`. */
  waitForLines(pattern: RegExp, count: number, ms?: number): Promise<string[]>;
  /** Resolves once stdout so far matches `pattern`, even mid-line (a prompt); rejects after `ms`. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<void>;
  /**
   * Ctrl+C: SIGINT to the process group when detached (as a terminal does), else the process.
   * Windows has no signal to send: there it ends the process and everything it started.
   */
  interrupt(): void;
  /** Ends the process and everything it started (npm's shell, tsx, the program), at once. */
  killTree(): void;
  /** The exit code (null if killed by a signal); rejects, killing the process, after `ms`. */
  exit(ms?: number): Promise<number | null>;
  /** From now on output is read, so the program never blocks on it, but not kept (a busy log). */
  discardOutput(): void;
}

export interface Finished {
  code: number | null;
  stdout: string[];
  stderr: string[];
}

export function startProcess(command: string, args: string[], options: StartOptions = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: options.detached,
  });
  if (!options.keepStdin) child.stdin.end(options.input);
  const name = [command, ...args].join(" ");
  let keeping = true;
  const collect = (reader: Interface, lines: string[], stream: "stdout" | "stderr") =>
    reader.on("line", (line) => {
      if (!keeping) return;
      lines.push(line);
      options.onLine?.(line, stream);
    });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => {
    if (keeping) text += chunk.toString();
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = collect(createInterface({ input: child.stdout }), stdout, "stdout");
  const err = collect(createInterface({ input: child.stderr }), stderr, "stderr");
  const finished = Promise.all([once(child, "exit"), once(out, "close"), once(err, "close")]);

  const running: RunningProcess = {
    child,
    stdout,
    stderr,
    discardOutput() {
      keeping = false;
      text = "";
      stdout.length = 0;
      stderr.length = 0;
    },
    async waitForLine(pattern, ms = 15_000) {
      const [line = ""] = await running.waitForLines(pattern, 1, ms);
      return line;
    },
    async waitForLines(pattern, count, ms = 15_000) {
      const seen = stdout.filter((line) => pattern.test(line));
      if (seen.length >= count) return seen.slice(0, count);
      const lines = on(out, "line", { close: ["close"], signal: deadline(ms) });
      const found = `${seen.length} of ${count} lines matching ${pattern}`;
      try {
        for await (const [line] of lines as AsyncIterable<[string]>) {
          if (pattern.test(line) && seen.push(line) >= count) return seen;
        }
      } catch (error) {
        if ((error as Error).name !== "AbortError") throw error;
        throw new Error(`${name} printed only ${found} within ${ms} ms`, { cause: error });
      }
      throw new Error(`${name} ended having printed only ${found}: ${stderr.join(" ")}`);
    },
    async waitForOutput(pattern, ms = 15_000) {
      const timeout = deadline(ms);
      while (!pattern.test(text)) {
        await once(child.stdout, "data", { signal: timeout }).catch((error: unknown) => {
          throw new Error(`${name} printed nothing matching ${pattern} within ${ms} ms`, {
            cause: error,
          });
        });
      }
    },
    interrupt() {
      if (child.exitCode !== null || child.signalCode !== null) return; // Already gone.
      if (process.platform === "win32") running.killTree();
      else if (options.detached && child.pid !== undefined) process.kill(-child.pid, "SIGINT");
      else child.kill("SIGINT");
    },
    killTree() {
      killTree(child, options.detached === true);
    },
    async exit(ms = 15_000) {
      const tooLate = once(deadline(ms), "abort").then(() => {
        running.killTree();
        throw new Error(`${name} did not exit within ${ms} ms`);
      });
      const [[code]] = (await Promise.race([finished, tooLate])) as [
        [number | null],
        unknown,
        unknown,
      ];
      return code;
    },
  };
  return running;
}

/**
 * Ends a process and all it started. Killing only npm would leave the program under it running,
 * holding its port and the test's pipes open (on Windows, npm's child.kill() ends npm alone:
 * npm/cli issue 4209), so: the process group on Linux and macOS when it has its own, and
 * `taskkill /T` (the process tree) on Windows.
 */
export function killTree(child: ChildProcess, ownGroup: boolean): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === "win32") {
    spawnSync("taskkill", ["/pid", String(child.pid), "/T", "/F"], { stdio: "ignore" });
  } else if (ownGroup) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  } else {
    child.kill("SIGKILL");
  }
}

/** Runs a program to its end and returns its exit code and output. */
export async function runProcess(
  command: string,
  args: string[],
  options: StartOptions & { timeoutMs?: number } = {},
): Promise<Finished> {
  const running = startProcess(command, args, options);
  const code = await running.exit(options.timeoutMs);
  return { code, stdout: running.stdout, stderr: running.stderr };
}

/**
 * A process's resident memory in bytes: from /proc on Linux, `ps` on macOS, `tasklist` (the
 * working set) on Windows; undefined when none answers.
 */
export function residentMemory(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let kilobytes: string | undefined;
  if (process.platform === "linux") {
    kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  } else if (process.platform === "win32") {
    const row = spawnSync("tasklist", ["/FI", `PID eq ${pid}`, "/FO", "CSV", "/NH"]).stdout;
    kilobytes = /"([\d,.\s]+) K"\s*$/m.exec(String(row))?.[1]?.replace(/\D/g, "");
  } else {
    kilobytes = /\d+/.exec(String(spawnSync("ps", ["-o", "rss=", "-p", String(pid)]).stdout))?.[0];
  }
  return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
}

/**
 * The CPU time a process has used so far, user plus system, in milliseconds (Linux, from /proc),
 * or undefined elsewhere. The kernel counts it in ticks of 1/100 s (USER_HZ).
 */
export function cpuTime(pid: number | undefined): number | undefined {
  if (process.platform !== "linux" || pid === undefined) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in brackets and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
