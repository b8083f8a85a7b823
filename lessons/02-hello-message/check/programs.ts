// How the steps start this lesson's programs, fast: a step may start forty of them, and a
// student runs the steps fifty times in an exercise. `npm run server` keeps going through tsx;
// the steps run the same source, compiled once per run instead of once per start.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
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
 * type stripping still loads each module apart. The source map keeps a crash's stack on the .ts
 * lines.
 */
let buildFolder: string | undefined;
const builds = new Map<string, Promise<string>>();

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
  const built = programs.flatMap((program, index) =>
    program.status === "fulfilled" ? [[files[index + 1], program.value]] : [],
  );
  process.env[BUILT] = JSON.stringify(Object.fromEntries(built));
  return steps?.status === "fulfilled" ? steps.value : undefined;
}

/**
 * Node's arguments that run `file` (server.ts, client.ts) of this lesson: its build, or the file
 * itself where it does not build. A syntax error then shows as the program's own error, as with
 * `npm run server`; under Wine, esbuild's Linux binary cannot start at all.
 */
export async function nodeArguments(file: string): Promise<string[]> {
  const madeByCheck = (JSON.parse(process.env[BUILT] ?? "{}") as Record<string, string>)[file];
  if (madeByCheck !== undefined) return ["--enable-source-maps", madeByCheck];
  let built = builds.get(file);
  if (built === undefined) {
    built = build(file);
    builds.set(file, built);
  }
  try {
    return ["--enable-source-maps", await built];
  } catch {
    return [...runDirectly, file];
  }
}
