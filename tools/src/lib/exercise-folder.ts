// Exercise folders for the checks and the bench: written by writeExercise() into a temporary
// folder, using the repository's installed packages (a link to node_modules) so that no install
// is needed, and run with the lesson's own `npm test` command.
import { copyFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { filesToWrite, writeExercise, type Level } from "../commands/exercise.ts";
import { anotherShape, type Mistake } from "../../exercises/mistakes.ts";
import { lessonNumbered, repositoryRoot, studentEnvironment, type Lesson } from "./lessons.ts";
import { runProcess } from "./process.ts";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { SKIP_TYPES } from "../../shared/check/types.ts";
import { FIRST_FAILURE_ONLY } from "../../shared/check/under-test.ts";

/** A new exercise for `lesson` at `level`; with `solved`, the lesson's own files fill its holes. */
export function exerciseFolder(
  lesson: Lesson,
  { solved = false, level = 1 }: { solved?: boolean; level?: Level } = {},
): string {
  const folder = join(temporaryFolder("exercise"), lesson.name);
  writeExercise(lesson, folder, level);
  symlinkSync(join(repositoryRoot, "node_modules"), join(folder, "node_modules"), "junction");
  if (solved) {
    for (const file of filesToWrite(lesson, level)) {
      copyFileSync(join(lesson.folder, file), join(folder, file));
    }
  }
  return folder;
}

/** Replaces `from` with `to` in one file of a folder; throws if `from` is not there. */
export function patch(folder: string, file: string, from: string, to: string): void {
  const path = join(folder, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} no longer contains: ${from}`);
  writeFileSync(path, text.replace(from, to));
}

/**
 * Runs the folder's tests as `npm test` there does (or `npm run report`); returns the exit code
 * and output. Without `types`, the type check's step is skipped (a check of behaviour only); with
 * `firstFailureOnly`, the steps after a failed one (FIRST_FAILURE_ONLY).
 */
export async function runSteps(
  folder: string,
  script: "test" | "report" = "test",
  { types = true, firstFailureOnly = false }: { types?: boolean; firstFailureOnly?: boolean } = {},
) {
  const scripts = (
    JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as {
      scripts: Record<typeof script, string>;
    }
  ).scripts;
  const [, ...args] = scripts[script].split(" "); // "node --import tsx --test ...": no shell.
  return runProcess(process.execPath, args, {
    cwd: folder,
    env: {
      ...studentEnvironment(),
      ...(types ? {} : { [SKIP_TYPES]: "1" }),
      ...(firstFailureOnly ? { [FIRST_FAILURE_ONLY]: "1" } : {}),
    },
    timeoutMs: 120_000,
  });
}

/** `npm run hint` in the folder, as the student runs it. */
export function askHint(folder: string) {
  return runProcess(process.execPath, ["--import", "tsx", join("check", "hint.ts")], {
    cwd: folder,
    timeoutMs: 60_000,
  });
}

export function removeFolder(folder: string): void {
  rmSync(join(folder, ".."), { recursive: true, force: true });
}

/** A solved exercise of `lesson`, or one whose program is the correct one of another shape. */
export function solvedFolder(lesson: number, program?: Mistake["program"]): string {
  const folder = exerciseFolder(lessonNumbered(lesson), { solved: true });
  if (program === "another shape") {
    const shape = anotherShape[lesson];
    if (shape === undefined) throw new Error(`lesson ${lesson} has no program of another shape`);
    copyFileSync(join(repositoryRoot, shape.source), join(folder, shape.file));
  }
  return folder;
}
