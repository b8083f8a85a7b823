// `npm run sync`: copies the helpers that are the same in every lesson from tools/shared into
// each lesson, so that a fix made once reaches them all. Two folders, copied whole:
//   tools/shared/common -> lessons/NN-name/common   (address, errors, listen, trace, ...)
//   tools/shared/check  -> lessons/NN-name/check    (harness, reporter, watch; beside the
//                                                    lesson's own lesson.test.ts)
// `npm run sync -- --check` (part of npm test) changes nothing and exits 1 naming every copy that
// differs, is missing, or sits in a lesson's common/ without a source here. What differs per
// lesson (its number, default port and transport) is the "lesson" entry of its package.json.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { usageOnHelp } from "../lib/help.ts";
import { lessons, repositoryRoot, type Lesson } from "../lib/lessons.ts";

const sharedFolder = join(repositoryRoot, "tools", "shared");
/** The folders copied into every lesson, by name (the same name in tools/shared and a lesson). */
const syncedFolders = ["common", "check"] as const;

/** The helpers that only some lessons use, and which lessons (by number); the rest go to all. */
const onlySomeLessons: Record<string, number[]> = {
  "listen.ts": [1, 2, 3], // TCP; lesson 4 binds UDP sockets instead
  "first-connection.ts": [1, 2], // the servers that take one client
  "escape.ts": [2, 3, 4], // lesson 1 prints no text from the network
  "log.ts": [3], // the batched log of a server with many clients
  "bind.ts": [4],
  "send.ts": [4],
};

const filesIn = (folder: string) => {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
};

function usedBy(lesson: Lesson, file: string): boolean {
  return onlySomeLessons[file]?.includes(lesson.number) ?? true;
}

/** Every lesson copy of a shared file, with its canonical source. */
function copies(): { source: string; copy: string }[] {
  return syncedFolders.flatMap((folder) =>
    filesIn(join(sharedFolder, folder)).flatMap((file) =>
      lessons
        .filter((lesson) => usedBy(lesson, file))
        .map((lesson) => ({
          source: join(sharedFolder, folder, file),
          copy: join(lesson.folder, folder, file),
        })),
    ),
  );
}

/** Files in a lesson's common/ that tools/shared/common does not give it: common/ would differ. */
function strays(): string[] {
  const expected = new Set(copies().map(({ copy }) => copy));
  return lessons.flatMap((lesson) =>
    filesIn(join(lesson.folder, "common"))
      .map((file) => join(lesson.folder, "common", file))
      .filter((path) => !expected.has(path)),
  );
}

const read = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

const fromRoot = (path: string) => relative(repositoryRoot, path).replaceAll("\\", "/");

/** What is wrong with the lessons' copies, one sentence each; empty when all match. */
function problems(): string[] {
  const stale = copies()
    .filter(({ source, copy }) => read(copy) !== read(source))
    .map(
      ({ source, copy }) =>
        `${fromRoot(copy)} ${read(copy) === undefined ? "is missing, a copy of" : "differs from"} ${fromRoot(source)}: run npm run sync (edit tools/shared only).`,
    );
  const extra = strays().map(
    (path) =>
      `${fromRoot(path)} is not in tools/shared/common: common/ holds only what every lesson shares. Move it to the lesson's top level, or into tools/shared/common.`,
  );
  return [...stale, ...extra];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  usageOnHelp(`Usage: npm run sync [-- --check]

Copies tools/shared/common and tools/shared/check into every lesson. With --check, changes
nothing and exits 1 naming every copy that differs or is missing.`);
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  if (!values.check) {
    for (const { source, copy } of copies()) {
      if (read(copy) !== read(source)) writeFileSync(copy, readFileSync(source));
    }
  }
  const left = problems();
  for (const problem of left) console.error(problem);
  if (left.length === 0) {
    console.log(`All ${copies().length} shared lesson files match tools/shared/{common,check}.`);
  }
  process.exitCode = left.length === 0 ? 0 : 1;
}
