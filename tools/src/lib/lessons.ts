// Where the lessons live, what each one's client does in the tour and the checks, and how to
// start their programs, directly or through the root commands a student types.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startProcess, type RunningProcess, type StartOptions } from "./process.ts";

export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const lessonsFolder = new URL("../../../lessons/", import.meta.url);

export interface Lesson {
  number: number;
  /** The folder name, such as `01-connect-only`. */
  name: string;
  folder: string;
}

export const lessons: Lesson[] = readdirSync(lessonsFolder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
  .map((entry) => ({
    number: Number(entry.name.slice(0, 2)),
    name: entry.name,
    folder: fileURLToPath(new URL(`${entry.name}/`, lessonsFolder)),
  }))
  .sort((a, b) => a.number - b.number);

/** Each lesson's steps, from its folder (its checker lives in check/, beside the shared harness). */
export const lessonSteps = "check/lesson.test.ts";

/** A lesson's own number, default port and transport: the "lesson" entry of its package.json. */
export interface LessonIdentity {
  number: number;
  defaultPort: number;
  transport: "TCP" | "UDP";
}

export function identityOf(lesson: Lesson): LessonIdentity {
  const manifest = join(lesson.folder, "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { lesson: LessonIdentity }).lesson;
}

export interface Scene {
  transport: "tcp" | "udp";
  /** One client run per entry, with these arguments after `--port P`. */
  clients: string[][];
  /** What the first client prints when the pair works. */
  expect: RegExp;
  /** Whether the server keeps serving until Ctrl+C (else it exits after one client). */
  loops: boolean;
  /** A server line to wait for after the clients, before stopping it. */
  waitFor?: RegExp;
}

/** Each lesson's part in the tour, the copy-out check and the root-command tests. */
export const scenes: Record<number, Scene> = {
  1: { transport: "tcp", clients: [[]], expect: /^Connected to /, loops: false },
  2: { transport: "tcp", clients: [[]], expect: /^Hello Client$/, loops: false },
  3: {
    transport: "tcp",
    clients: [["python"], ["c"], ["C++"]],
    expect: /^CourseName:Python,Duration:1Year,Fee=4000$/,
    loops: true,
  },
  4: {
    transport: "udp",
    // One birthday message, then a short numbered burst and the receiver's loss report.
    clients: [[], ["--count", "1000"]],
    expect: /^Sent 22 bytes to /,
    loops: true,
    waitFor: /^Burst from/,
  },
};

export function sceneOf(lesson: Lesson): Scene {
  const scene = scenes[lesson.number];
  if (scene === undefined) throw new Error(`lesson ${lesson.number} has no scene in lessons.ts`);
  return scene;
}

export function lessonNumbered(number: number): Lesson {
  const found = lessons.find((lesson) => lesson.number === number);
  if (found === undefined) throw new Error(`lesson ${number} is missing`);
  return found;
}

/**
 * Starts a lesson's server or client in the lesson's folder, as its own steps start it: compiled
 * once per run by its check/programs.ts (esbuild), not through tsx at every start (0.2 s each,
 * and the tools' tests start a lesson's programs hundreds of times). `npm run` keeps tsx, and
 * root-commands.test.ts checks that way.
 */
export async function startLesson(
  lesson: Lesson,
  program: "server" | "client",
  args: string[],
  options: StartOptions = {},
) {
  const programs = (await import(
    pathToFileURL(join(lesson.folder, "check", "programs.ts")).href
  )) as { nodeArguments(file: string): Promise<string[]> };
  const node = await programs.nodeArguments(`${program}.ts`);
  return startProcess(process.execPath, [...node, ...args], { cwd: lesson.folder, ...options });
}

/** Runs a lesson's server or client to its end and returns its exit code and output. */
export async function runLesson(lesson: Lesson, program: "server" | "client", args: string[]) {
  const running = await startLesson(lesson, program, args);
  const code = await running.exit();
  return { code, stdout: running.stdout, stderr: running.stderr };
}

/** Starts a lesson's server on a free port (`--port 0`) and reads the port from its ready line. */
export async function startLessonServer(
  lesson: Lesson,
  args: string[] = [],
  options: StartOptions = {},
): Promise<{ server: RunningProcess; port: string }> {
  const server = await startLesson(lesson, "server", ["--port", "0", ...args], options);
  return { server, port: portFrom(await server.waitForLine(readyLine)) };
}

/** Whether this Node runs .ts files by itself (type stripping, on by default from 22.18). */
export const nodeRunsTypeScript = (() => {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 18);
})();

/** npm's own entry point, run with this Node, so no shell is needed on Windows either. */
export const npmCli = process.env.npm_execpath ?? "npm";

const npmCommand = npmCli.endsWith(".js") ? [process.execPath, npmCli] : [npmCli];

/** Runs `npm <args>` in a folder (the repository root by default), as a student types it. */
export function startNpm(args: string[], options: StartOptions = {}) {
  const [command = "npm", ...prefix] = npmCommand;
  return startProcess(command, [...prefix, ...args], { cwd: repositoryRoot, ...options });
}

/** `npm <args>` as one shell command line, for tools such as `script` that take one. */
export function npmCommandLine(args: string[]): string {
  return [...npmCommand.map((part) => `"${part}"`), ...args].join(" ");
}

/** Reads the port from a server's ready line, such as `Server is running on 127.0.0.1:6001`. */
export function portFrom(readyLine: string): string {
  const port = /:(\d+)\b/.exec(readyLine)?.[1];
  if (port === undefined) throw new Error(`no port in the ready line "${readyLine}"`);
  return port;
}

/** The ready line every lesson's server prints first. */
export const readyLine = /is running on /i;

/** A lesson by its number (`3`) or folder name (`03-course-lookup`); throws a sentence if none. */
export function findLesson(which: string): Lesson {
  const found = lessons.find((lesson) => String(lesson.number) === which || lesson.name === which);
  if (found === undefined) {
    const known = lessons.map((lesson) => `${lesson.number} (${lesson.name})`).join(", ");
    throw new Error(`There is no lesson "${which}". The lessons are ${known}.`);
  }
  return found;
}

/**
 * The environment of a student's shell, for a lesson folder outside the repository: without the
 * monorepo's npm and turbo settings, and without NODE_TEST_CONTEXT, which would make the
 * folder's `node --test` report to our own test runner.
 */
export function studentEnvironment(): NodeJS.ProcessEnv {
  const monorepo = /^(npm_|TURBO_|INIT_CWD$|NODE_TEST_CONTEXT$)/i;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !monorepo.test(key)));
}
