// `npm run sync`: copies each shared lesson helper from tools/shared into every lesson that uses
// it, so that a fix made once reaches them all. `npm run sync -- --check` (part of npm test)
// changes nothing and exits 1 naming every copy that differs. What differs per lesson (its
// number, default port and transport) is in the lesson's own lesson.ts, which the copies import.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { lessons, repositoryRoot } from "./lessons.ts";

const ALL = [1, 2, 3, 4];
const TCP = [1, 2, 3];

/** Each shared file, and the lessons (by number) that hold a copy of it. */
export const sharedFiles: Record<string, number[]> = {
  "address.ts": ALL,
  "errors.ts": ALL,
  "escape.ts": [2, 3, 4],
  "flag-parsing.ts": ALL,
  "harness.ts": ALL,
  "listen.ts": TCP,
  "reporter.js": ALL,
  "shutdown.ts": ALL,
  "trace.ts": ALL,
  "watch.ts": ALL,
};

export const sharedFolder = join(repositoryRoot, "tools", "shared");

/** Every lesson copy of a shared file, with its canonical source. */
export function copies(): { source: string; copy: string }[] {
  return Object.entries(sharedFiles).flatMap(([file, numbers]) =>
    lessons
      .filter((lesson) => numbers.includes(lesson.number))
      .map((lesson) => ({ source: join(sharedFolder, file), copy: join(lesson.folder, file) })),
  );
}

/** The copies that differ from their source (or are missing), as paths from the root. */
export function drifted(): string[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  };
  return copies()
    .filter(({ source, copy }) => read(copy) !== read(source))
    .map(({ copy }) => copy.slice(repositoryRoot.length));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  const stale = drifted();
  if (values.check) {
    for (const path of stale) {
      console.error(
        `${path} differs from tools/shared: run npm run sync (edit tools/shared only).`,
      );
    }
    if (stale.length === 0) console.log(`All ${copies().length} shared lesson files match.`);
    process.exitCode = stale.length === 0 ? 0 : 1;
  } else {
    for (const { source, copy } of copies()) writeFileSync(copy, readFileSync(source));
    console.log(`Copied ${copies().length} shared files; ${stale.length} had changed.`);
  }
}
