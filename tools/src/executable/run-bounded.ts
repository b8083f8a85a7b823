// The launcher: every program a step starts for a submission goes through it (the harness puts
// its words first, under-test.ts's BOUNDED), like codecrafters' tester-utils `executable/`. It
// runs outside the sandbox, starts the program under its limits (prlimit) and, with --sandbox,
// in its namespaces (sandbox.ts); then watches the whole tree every 100 ms (tree.ts), stops it at
// a limit, says which in one line the harness reads, and ends every process it started.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { accessSync, constants as fs } from "node:fs";
import { constants } from "node:os";
import { delimiter, isAbsolute, resolve } from "node:path";
import { BOUNDS, type Bounds } from "./bounds.ts";
import { REACHED, type Limits } from "./limits.ts";
import { BOUNDED } from "../../shared/check/under-test.ts";
import { asNobody, jailed, ownProcesses } from "./sandbox.ts";
import { stillRunning, usageOf } from "./tree.ts";

const bounds = JSON.parse(process.env[BOUNDS] ?? "{}") as Bounds;
const { limits, plan, ownProcesses: alone } = bounds;
/** Whether the program runs as nobody: from root, in the sandbox or when asked without one. */
const asUser = process.getuid?.() === 0 && (plan !== undefined || bounds.unprivileged === true);
const mark = process.env[BOUNDED.mark];
const command = process.argv.slice(2);

/** One line for the harness: a limit reached, or why the program could not start. */
const report = (sentence: string) => process.stderr.write(`${mark} ${sentence}\n`);

// The program is told nothing of this: neither the limits' settings nor the mark.
const hidden: string[] = [BOUNDS, BOUNDED.mark, BOUNDED.launcher];
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !hidden.includes(name)),
);

if (!isFound(command[0] ?? "")) {
  report(
    `The command ${JSON.stringify(command[0])} was not found: check its spelling, or give its full path.`,
  );
  process.exit(127);
}
const own = asUser ? asNobody(command) : command;
const contained = plan !== undefined ? jailed(command, plan) : alone ? ownProcesses(own) : own;
const words = [...limited(limits), ...contained];
const child = spawn(words[0] ?? "", words.slice(1), { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));

const seen = new Set<string>();
let reached: keyof typeof REACHED | undefined;
const watch = process.platform === "linux" ? setInterval(checkTree, 100) : undefined;
const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
clearInterval(watch);
endTree();

// The kernel's own limits end a program with a signal: say which limit that was.
const signalled = signal ?? (code !== null && code > 128 ? signalName(code - 128) : undefined);
reached ??= signalled === "SIGXCPU" ? "cpu" : signalled === "SIGXFSZ" ? "file" : undefined;
if (reached !== undefined) report(REACHED[reached](limits));
if (signal !== null) process.kill(process.pid, signal);
else process.exitCode = code ?? 1;

/** The whole tree's use, against the limits; everything stops at the first one reached. */
function checkTree(): void {
  if (child.pid === undefined) return;
  const usage = usageOf(child.pid);
  for (const each of usage.processes) seen.add(each);
  reached ??=
    usage.memoryBytes > limits.memoryBytes
      ? "memory"
      : usage.processes.length > limits.processes
        ? "processes"
        : usage.cpuSeconds > limits.cpuSeconds
          ? "cpu"
          : undefined;
  if (reached !== undefined) endTree();
}

/** Every process of the program's tree ever seen, those a setsid moved away included. */
function endTree(): void {
  for (const each of seen) {
    const pid = stillRunning(each);
    if (pid !== undefined && pid !== process.pid) killQuietly(pid);
  }
  if (child.exitCode === null) child.kill("SIGKILL");
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // It ended on its own meanwhile.
  }
}

/** prlimit's words for the kernel's per-process limits (Linux; elsewhere, the watch alone). */
function limited({ memoryBytes, cpuSeconds, fileBytes, processes }: Limits): string[] {
  if (process.platform !== "linux" || spawnSync("prlimit", ["--version"]).error) return [];
  return [
    "prlimit",
    // A backstop above the tree's limit, which the watch says in words first.
    `--data=${memoryBytes * 2}`,
    `--cpu=${cpuSeconds}:${cpuSeconds + 1}`,
    `--fsize=${fileBytes}`,
    "--core=0",
    // Counted per user: only where the program runs as a user of its own (nobody, from root).
    ...(asUser ? [`--nproc=${processes}`] : []),
    "--",
  ];
}

function signalName(number: number): string | undefined {
  return Object.entries(constants.signals).find(([, value]) => value === number)?.[0];
}

/** Whether `file` can be run: a path from the working folder, or a name on PATH. */
function isFound(file: string): boolean {
  const paths = /[/\\]/.test(file)
    ? [resolve(file)]
    : (env.PATH ?? "").split(delimiter).map((folder) => resolve(folder, file));
  const extensions = process.platform === "win32" ? ["", ".exe", ".cmd", ".bat"] : [""];
  return paths.some((path) =>
    extensions.some((extension) => {
      try {
        accessSync(path + extension, isAbsolute(path) ? fs.X_OK : fs.F_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}
