// `npm run copy -- <lesson> <folder>`: copies one lesson folder out of the repository, ready for
// coursework: everything but node_modules, and npm's install-script decision written into its
// package.json (in the repository only the root's counts, so the lessons cannot carry it).
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { findLesson, repositoryRoot, type Lesson } from "../lib/lessons.ts";
import { usageOnHelp } from "../lib/help.ts";

/** The root package.json's allowScripts: esbuild's postinstall is denied (tsx does not need it). */
function allowScripts(): unknown {
  const root = JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8")) as {
    allowScripts: unknown;
  };
  return root.allowScripts;
}

/** Copies `lesson` to `target` (which must not exist, or be empty) and returns `target`. */
export function copyLessonTo(lesson: Lesson, target: string): string {
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${target} already exists and is not empty. Choose a new folder.`);
  }
  cpSync(lesson.folder, target, {
    recursive: true,
    filter: (source) => !/[\\/]node_modules([\\/]|$)/.test(source),
  });
  const manifest = join(target, "package.json");
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as Record<string, unknown>;
  writeFileSync(manifest, `${JSON.stringify({ ...pkg, allowScripts: allowScripts() }, null, 2)}\n`);
  return target;
}

const usage = `Usage: npm run copy -- <lesson> <folder>

Copies one lesson (1-4, or its folder name such as 03-course-lookup) to a new folder, where
npm install, npm test, npm run server and npm run client work on their own.`;

/**
 * The command line of `npm run copy` and `npm run exercise`: a lesson and a folder (relative to
 * where the student typed the command). `act` writes the folder and returns what to print; a
 * mistake prints a sentence and the usage, and exits 2.
 */
export function lessonToFolder(
  usage: string,
  options: ParseArgsConfig["options"],
  act: (lesson: Lesson, target: string, values: Record<string, unknown>) => string,
) {
  usageOnHelp(usage);
  try {
    const { positionals, values } = parseArgs({ allowPositionals: true, options });
    const [which, folder] = positionals;
    if (which === undefined || folder === undefined || positionals.length > 2) {
      throw new Error("Name one lesson and one folder.");
    }
    console.log(act(findLesson(which), resolve(process.env.INIT_CWD ?? ".", folder), values));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  lessonToFolder(usage, {}, (lesson, target) => {
    copyLessonTo(lesson, target);
    return `Copied to ${target}. Next: cd there, then npm install and npm test.`;
  });
}
