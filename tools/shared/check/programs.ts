// How the steps start this lesson's programs, fast: a step may start forty of them, and a
// student runs the steps fifty times in an exercise. `npm run server` keeps going through tsx;
// the steps run the same source, compiled once per run instead of once per start.
import { readFileSync } from "node:fs";
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

async function build(file: string): Promise<string> {
  const { build: esbuild } = await import("esbuild");
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
    banner: { js: ORPHAN_WATCH },
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
      contents: readFileSync(path, "utf8").replaceAll(
        "import.meta.url",
        JSON.stringify(pathToFileURL(path).href),
      ),
      loader: "ts",
    }));
  },
};

/**
 * Node's arguments that run `file` (server.ts, client.ts) of this lesson: its build, or the file
 * itself where it does not build. A syntax error then shows as the program's own error, as with
 * `npm run server`; under Wine, esbuild's Linux binary cannot start at all.
 */
export async function nodeArguments(file: string): Promise<string[]> {
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
