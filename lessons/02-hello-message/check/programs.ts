// How the steps start this lesson's programs, fast: a step may start forty of them, and a
// student runs the steps fifty times in an exercise. `npm run server` keeps going through tsx;
// the steps run the same source, compiled once per run instead of once per start.
import { readFileSync } from "node:fs";
import { createRequire, SourceMap } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { temporaryFolder } from "./temporary.ts";

/** The lesson's folder, where its programs are, one above this checker's. */
const lessonFolder = fileURLToPath(new URL("..", import.meta.url));

/**
 * How Node runs a .ts file without a build: Node 22.18 and later strip the types themselves; older
 * Node goes through tsx, as `npm run server` does.
 */
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const runDirectly =
  major > 22 || (major === 22 && minor >= 18)
    ? ["--disable-warning=ExperimentalWarning"]
    : ["--import", "tsx"];

/**
 * Each program compiled once by esbuild (tsx's own compiler) into one file, in a temporary
 * folder (temporary.ts): tsx compiles at every start, at three times the cost, and Node's own
 * type stripping still loads each module apart. The source map beside it puts a crash's stack
 * back on the .ts lines (inSource).
 */
let buildFolder: string | undefined;
const builds = new Map<string, Promise<string>>();
/** The builds this process made, done. */
const built = new Set<string>();

async function build(file: string, { orphanWatch = true } = {}): Promise<string> {
  // Required from this file's own place (a build keeps it, keepImportMetaUrl): the steps' build
  // runs from a temporary folder, where no node_modules is.
  const { build: esbuild } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  buildFolder ??= temporaryFolder("build");
  const outfile = join(buildFolder, file.replace(/\.ts$/, ".mjs"));
  await esbuild({
    entryPoints: [join(lessonFolder, file)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node}`,
    sourcemap: "linked",
    banner: { js: orphanWatch ? ORPHAN_WATCH : "" },
    logLevel: "silent",
    plugins: [keepImportMetaUrl],
  });
  built.add(outfile);
  return outfile;
}

/**
 * A program the steps started ends when the steps' process is gone: Ctrl+C as `node --test` is
 * still starting its test file can end that process before it stops what it started (seen here
 * 1 time in 3), and a server would wait for a client forever. Once a second, without keeping
 * the program alive, it checks that its parent is still the one it started with and that the
 * steps' process (STEPS_PID, which the harness gives every program it starts) still exists.
 */
export const STEPS_PID = "SOCKET_LESSONS_STEPS_PID";
const ORPHAN_WATCH = `{
  const parent = process.ppid;
  const steps = Number(process.env.${STEPS_PID});
  const gone = () => {
    if (process.ppid !== parent) return true;
    try { if (steps > 0) process.kill(steps, 0); return false; } catch { return true; }
  };
  setInterval(() => { if (gone()) process.exit(1); }, 1000).unref();
}`;

/**
 * In one bundled file every module's import.meta.url would be the bundle's; each keeps its own
 * file's URL, so that `new URL("catalog.json", import.meta.url)` still finds the lesson's file.
 */
const keepImportMetaUrl = {
  name: "keep-import-meta-url",
  setup(build: {
    onLoad(
      options: { filter: RegExp },
      load: (args: { path: string }) => { contents: string; loader: "ts" },
    ): void;
  }) {
    build.onLoad({ filter: /\.ts$/ }, ({ path }) => ({
      // A pattern, not the words in quotes: this file is in the steps' build too.
      contents: readFileSync(path, "utf8").replaceAll(
        /\bimport\.meta\.url\b/g,
        JSON.stringify(pathToFileURL(path).href),
      ),
      loader: "ts",
    }));
  },
};

/** The builds check.ts made before it started the steps, by file: JSON, in the environment. */
const BUILT = "SOCKET_LESSONS_BUILT";

/**
 * The steps themselves (check/lesson.test.ts) in one built file, so that their process starts
 * without tsx, which costs a quarter second of CPU at every start; and server.ts and client.ts,
 * by the same compiler at once, for the steps to find (BUILT). Undefined where the steps do not
 * build (a syntax error, Wine): they then run through tsx, as they always could.
 */
export async function buildForSteps(): Promise<string | undefined> {
  const files = [join("check", "lesson.test.ts"), "server.ts", "client.ts"];
  const [steps, ...programs] = await Promise.allSettled(
    files.map((file, index) => build(file, { orphanWatch: index > 0 })),
  );
  const done = programs.flatMap((program, index) =>
    program.status === "fulfilled" ? [[files[index + 1], program.value]] : [],
  );
  process.env[BUILT] = JSON.stringify(Object.fromEntries(done));
  return steps?.status === "fulfilled" ? steps.value : undefined;
}

const madeByCheck = () => JSON.parse(process.env[BUILT] ?? "{}") as Record<string, string>;

/**
 * Node's arguments that run `file` (server.ts, client.ts) of this lesson: its build, or the file
 * itself where it does not build. A syntax error then shows as the program's own error, as with
 * `npm run server`; under Wine, esbuild's Linux binary cannot start at all.
 *
 * With `sourceMaps: "read by the caller"`, the build starts without Node's source maps, whose
 * reading costs a fifth of each start: the harness, which reads every error line a program says,
 * puts its places back in the .ts files itself (inSource).
 */
export async function nodeArguments(
  file: string,
  { sourceMaps = "by Node" }: { sourceMaps?: "by Node" | "read by the caller" } = {},
): Promise<string[]> {
  const flags = sourceMaps === "by Node" ? ["--enable-source-maps"] : [];
  const made = madeByCheck()[file];
  if (made !== undefined) return [...flags, made];
  let building = builds.get(file);
  if (building === undefined) {
    building = build(file);
    builds.set(file, building);
  }
  try {
    return [...flags, await building];
  } catch {
    return [...runDirectly, file];
  }
}

/**
 * A line of a program's error stream with each place in a build (`file:///…/server.mjs:40:7` in
 * a stack, or `…/server.mjs:40` above a crash's source line) put back at its place in the .ts
 * file, as Node's --enable-source-maps writes it: `/…/server.ts:37:11`.
 */
export function inSource(line: string): string {
  if (!line.includes(".mjs:")) return line;
  let mapped = line;
  for (const outfile of [...Object.values(madeByCheck()), ...built]) {
    // Its URL first: the URL holds the path.
    for (const name of [pathToFileURL(outfile).href, outfile]) {
      const [before = "", ...after] = mapped.split(name);
      mapped = [before, ...after.map((rest) => placeInSource(outfile, name, rest))].join("");
    }
  }
  return mapped;
}

/** `rest` follows a build's name in a line: its `:line:column`, if it starts with one, mapped. */
function placeInSource(outfile: string, name: string, rest: string): string {
  const [place, line, column] = /^:(\d+)(?::(\d+))?/.exec(rest) ?? [];
  if (place === undefined) return name + rest;
  const { map, lines } = mapOf(outfile);
  const lineIndex = Number(line) - 1;
  // A place without a column (above a crash's source line) is its line's first statement.
  const columnIndex =
    column === undefined ? (lines[lineIndex] ?? "").search(/\S|$/) : Number(column) - 1;
  const found = map.findEntry(lineIndex, columnIndex);
  if (!("originalSource" in found)) return name + rest;
  const path = fileURLToPath(new URL(found.originalSource, pathToFileURL(outfile)));
  const at = column === undefined ? "" : `:${found.originalColumn + 1}`;
  return `${path}:${found.originalLine + 1}${at}${rest.slice(place.length)}`;
}

const maps = new Map<string, { map: SourceMap; lines: string[] }>();

/** A build's source map (esbuild's, beside it), and its lines, read once. */
function mapOf(outfile: string) {
  let read = maps.get(outfile);
  if (read === undefined) {
    const payload = JSON.parse(readFileSync(`${outfile}.map`, "utf8")) as SourceMapPayload;
    read = { map: new SourceMap(payload), lines: readFileSync(outfile, "utf8").split("\n") };
    maps.set(outfile, read);
  }
  return read;
}

type SourceMapPayload = ConstructorParameters<typeof SourceMap>[0];
