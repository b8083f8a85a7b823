// `npm test`: runs every check through turbo, then fails if any package's test task ran zero
// tests (on Node 20, `node --test` silently finds no .ts files, so "passed" could mean nothing).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { usageOnHelp } from "../lib/help.ts";
import { lessons, repositoryRoot } from "../lib/lessons.ts";
import { startProcess } from "../lib/process.ts";

usageOnHelp(`Usage: npm test [-- <turbo flags>]

Every check: formatting, lint, types, every lesson's steps, the tools' tests, and every lesson's
steps again with localhost as ::1 first; turbo runs them side by side and caches what passed.
Flags after -- go to turbo run, such as --force or --filter=@socket-lessons/03-course-lookup.`);

/**
 * Turbo starts these in an order of its own, which changes from run to run, so none is much
 * longer than the rest: a long task started last would leave a core idle while it ends.
 * test:checker, whose checks mostly wait on Python programs, runs its two files at once
 * (--test-concurrency=2 in tools/package.json; node --test runs one at a time on two cores).
 */
const tasks = [
  // npm run check against programs in Python (checker.test.ts), and what comes out of it.
  "test:checker",
  // The tools' types are test:types; a lesson's own `test` ends with its type check (tsc on its
  // tsconfig.json, check/types.ts), so its `typecheck` script, for students, is left out here.
  ...["format:check", "lint", "lint:workflows", "sync:check", "test:types", "test"],
  // The tools' other long tests, each a task of its own of at most about a minute: the
  // exercises' checks and their mistakes, the bench's smoke run, faults and races, a class
  // graded (--each, the Gradescope bundle), and the diagrams in Chromium.
  "test:exercises",
  "test:mistakes",
  "test:bench",
  "test:faults",
  "test:class",
  "test:browser",
  // Every lesson's steps again, with localhost resolving to ::1 first as on macOS and Windows:
  // a task like the others, which turbo fits in wherever a core is free.
  "test:localhost-ipv6-first",
];
/**
 * One task per core. Every test starts real processes and waits for their ready lines with time
 * limits; turbo's default of ten tasks at once on a two-core machine starved them past those
 * limits (a ready line after 10 s, seen here on the untouched main too).
 */
const concurrency = Math.max(2, availableParallelism());
const turbo = createRequire(import.meta.url).resolve("turbo/bin/turbo");

const run = startProcess(
  process.execPath,
  [turbo, "run", ...tasks, "--continue", `--concurrency=${concurrency}`, ...process.argv.slice(2)],
  {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      TURBO_TELEMETRY_DISABLED: "1",
      // Turbo does not hash the Node version; this makes a run on another Node miss the cache.
      SOCKET_LESSONS_NODE_VERSION: process.version,
    },
    onLine: (line, stream) => {
      (stream === "stdout" ? process.stdout : process.stderr).write(`${line}\n`);
    },
  },
);
const code = await run.exit(60 * 60_000);

/**
 * Test counts per package, from the spec reporter's summary (`pkg:test: ℹ tests 8`, or
 * `pkg:test:exercises: ℹ tests 16`).
 */
const counts = new Map<string, number>();
for (const line of run.stdout) {
  const testTask = /^([^:\s]+):test(?::[\w-]+)?: /.exec(line);
  if (testTask?.[1] === undefined) continue;
  const count = /ℹ tests (\d+)$/.exec(line)?.[1];
  counts.set(testTask[1], (counts.get(testTask[1]) ?? 0) + Number(count ?? 0));
}
// Every workspace package must have run tests, unless the caller filtered the packages.
const packageName = (folder: string) =>
  (JSON.parse(readFileSync(`${folder}/package.json`, "utf8")) as { name: string }).name;
const expected =
  process.argv.length > 2
    ? [...counts.keys()]
    : [
        ...lessons.map((lesson) => packageName(lesson.folder)),
        packageName(`${repositoryRoot}/tools`),
      ];
const empty = expected.filter((name) => !counts.get(name));
if (code === 0 && empty.length > 0)
  console.error(`\nThese packages ran no tests: ${empty.join(", ")}`);
const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
console.log(`\n${total} tests in ${counts.size} packages.`);
process.exitCode = code !== 0 || empty.length > 0 ? 1 : 0;
