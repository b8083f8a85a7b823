// Where the lessons live and how to start their programs. Lessons are found on disk, so a new
// lesson folder needs no change here except its tour scene in tour.ts.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startProcess, type StartOptions } from "./process.ts";

export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const lessonsFolder = new URL("../../lessons/", import.meta.url);

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

/** Starts a lesson's server or client with tsx, in the lesson's folder. */
export function startLesson(
  lesson: Lesson,
  program: "server" | "client",
  args: string[],
  options: StartOptions = {},
) {
  return startProcess(process.execPath, ["--import", "tsx", `${program}.ts`, ...args], {
    cwd: lesson.folder,
    ...options,
  });
}

/** Reads the port from a server's ready line, such as `Server is running on 127.0.0.1:6001`. */
export function portFrom(readyLine: string): string {
  const port = /:(\d+)\b/.exec(readyLine)?.[1];
  if (port === undefined) throw new Error(`no port in the ready line "${readyLine}"`);
  return port;
}

/** The ready line every lesson's server prints first. */
export const readyLine = /is running on /i;
