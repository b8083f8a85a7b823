// The programs the steps judge: this lesson's own server.ts and client.ts, or, under
// `npm run check -- --server "<command>"` (check/check.ts), any program in any language.
import {
  spawn,
  spawnSync,
  type ChildProcess,
  type ChildProcessWithoutNullStreams,
} from "node:child_process";

/** How check.ts tells the steps what they judge: the commands, their features, their folder. */
export const UNDER_TEST = {
  server: "SOCKET_LESSONS_SERVER",
  client: "SOCKET_LESSONS_CLIENT",
  features: "SOCKET_LESSONS_FEATURES",
  folder: "SOCKET_LESSONS_COMMAND_FOLDER",
} as const;

/**
 * With "1", a step of behaviour that starts after another failed, and comes after it, is
 * skipped: the run ends with the first failure's verdict, unchanged, and sooner. The type check
 * still reports: it started with the run, beside the steps. The repository's tests of mistakes
 * and of the level 2 starters set it: they judge that verdict only, and a mistake such as a
 * spinning server slows every step it reaches.
 */
export const FIRST_FAILURE_ONLY = "SOCKET_LESSONS_FIRST_FAILURE_ONLY";

export type Role = "server" | "client";

/** The flags of `npm run check` (check.ts), which the repository's `npm run check` passes on. */
export const CHECK_FLAGS = {
  server: { type: "string" },
  client: { type: "string" },
  has: { type: "string" },
  json: { type: "string" },
  gradescope: { type: "string" },
  junit: { type: "string" },
} as const;

/** The command given for `role`, or undefined where the step runs this lesson's own program. */
export function commandFor(role: Role): string | undefined {
  const command = process.env[UNDER_TEST[role]]?.trim();
  return command === undefined || command === "" ? undefined : command;
}

/** Whether check.ts was given any program: then steps of this lesson's own files do not apply. */
export function givenAny(): boolean {
  return commandFor("server") !== undefined || commandFor("client") !== undefined;
}

/** The features another program says it has (`--has trace,log`), beside the behaviour. */
const claimed = new Set(
  (process.env[UNDER_TEST.features] ?? "")
    .split(",")
    .map((feature) => feature.trim().replace(/^--/, ""))
    .filter((feature) => feature !== ""),
);

/**
 * What a step asks of each program it runs: `"behaviour"`, which every program of this lesson
 * must have, in any language; or one of this lesson's own features (a flag, an exact log line),
 * named as `--has` names it. A program a step does not list is not involved in it.
 */
export type Needs = Partial<Record<Role, "behaviour" | Feature>>;

/** Our programs' own features, and why another program need not have them. */
export const FEATURES = {
  log: "this lesson's exact log and ready lines",
  flags: "this lesson's flags, usage and --help",
  errors: "this lesson's error sentences and exit codes",
  "ctrl-c": "this lesson's clean stop on Ctrl+C, with its line",
  trace: "this lesson's --trace",
  "idle-timeout": "this lesson's --idle-timeout",
  "max-connections": "this lesson's --max-connections",
  catalog: "this lesson's --catalog file",
  timeout: "this lesson's --timeout",
  "loss-report": "this lesson's numbered datagrams and loss report",
} as const;
export type Feature = keyof typeof FEATURES;

/**
 * Whether the program for `role` has `feature`: this lesson's own always does; a program given
 * to check.ts when --has names it. A step of behaviour checks a feature's lines only then.
 */
export function hasFeature(role: Role, feature: Feature): boolean {
  return commandFor(role) === undefined || claimed.has(feature);
}

/**
 * Why a step does not apply to the programs given to check.ts, or false when it runs: a step
 * applies when it runs a given program, and asks of it only behaviour or a feature it claims.
 */
export function notApplicable(needs: Needs): string | false {
  const given = (["server", "client"] as const).filter((role) => commandFor(role) !== undefined);
  if (given.length === 0) return false; // This lesson's own programs: every step runs.
  const involved = given.filter((role) => needs[role] !== undefined);
  if (involved.length === 0) {
    const judged = (["server", "client"] as const).filter((role) => needs[role] !== undefined);
    return `not applicable: it judges the ${judged.join(" and ")}, and this check was given the ${given.join(" and ")}`;
  }
  for (const role of involved) {
    const need = needs[role];
    if (need === undefined || need === "behaviour" || claimed.has(need)) continue;
    return `not applicable: it checks ${FEATURES[need]}, which the ${role} given need not have (--has ${need} says it does)`;
  }
  return false;
}

/**
 * A command's words, split at spaces outside quotes ("..." or '...'), as a shell would split
 * them, but with no shell: nothing in it is expanded, and a command that does not exist is
 * that, not the shell's exit code 127.
 */
export function wordsOf(command: string): string[] {
  const words: string[] = [];
  for (const [, double, single, bare] of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    words.push(double ?? single ?? bare ?? "");
  }
  return words;
}

/** The words of `role`'s command, with {port} and {host} filled in; none if none was given. */
function givenWords(role: Role, values: { port: string; host: string }): string[] {
  return wordsOf(commandFor(role) ?? "").map((word) =>
    word.replaceAll("{port}", values.port).replaceAll("{host}", values.host),
  );
}

/**
 * `role`'s command as one line for a shell (a pseudo-terminal's), run in its folder; undefined
 * where the step runs this lesson's own program.
 */
export function givenCommandLine(
  role: Role,
  values: { port: string; host: string },
): string | undefined {
  if (commandFor(role) === undefined) return undefined;
  const words = [...launcher, ...givenWords(role, values)];
  const quoted = words.map((word) => `'${word.replaceAll("'", "'\\''")}'`);
  return `cd '${commandFolder().replaceAll("'", "'\\''")}' && ${quoted.join(" ")}`;
}

/** Where a given command runs: the folder `npm run check` was typed in. */
function commandFolder(): string {
  return process.env[UNDER_TEST.folder] ?? process.cwd();
}

/**
 * How `npm run check --each` bounds what it judges: the words that start every program given
 * (its limits, and its sandbox with --sandbox), a JSON list; and the mark that begins a line
 * those words print about a limit reached, which the program itself is never told.
 */
export const BOUNDED = {
  launcher: "SOCKET_LESSONS_LAUNCHER",
  mark: "SOCKET_LESSONS_MARK",
} as const;
const launcher = JSON.parse(process.env[BOUNDED.launcher] ?? "[]") as string[];

/** A limit the launcher reached, in words, when `line` is its report; undefined otherwise. */
export function limitReached(line: string): string | undefined {
  const mark = process.env[BOUNDED.mark];
  return mark && line.startsWith(`${mark} `) ? line.slice(mark.length + 1) : undefined;
}

/** `role`'s command as the user gave it, {port} and {host} filled in, to name it in a verdict. */
export function shownCommand(role: Role, values: { port: string; host: string }): string {
  const words = givenWords(role, values).map((word) =>
    /\s/.test(word) ? JSON.stringify(word) : word,
  );
  return `"${words.join(" ")}"`;
}

/** Starts `role`'s command with {port} and {host} filled in, in a process group of its own. */
export function spawnGiven(
  role: Role,
  values: { port: string; host: string },
): ChildProcessWithoutNullStreams {
  const [file = "", ...args] = [...launcher, ...givenWords(role, values)];
  return spawn(file, args, {
    cwd: commandFolder(),
    stdio: ["pipe", "pipe", "pipe"],
    // Its own group, so that what it starts stops with it (stopTree).
    detached: process.platform !== "win32",
    // Python buffers what it prints to a pipe until it exits: the steps read it line by line.
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
}

/**
 * Stops a program and every process it started: its process group on Linux and macOS, its tree
 * with `taskkill /T` on Windows, where a parent's kill() ends the parent alone.
 */
export function stopTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32") {
      spawnSync("taskkill", ["/pid", String(child.pid), "/T", "/F"], { stdio: "ignore" });
    } else process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL"); // Not a group leader (this lesson's own programs): the program alone.
  }
}
