// `npm run profile`: where lesson 3's server spends its time under the bench's load, beside the
// bare node:net baseline under the same load. Each server runs as a student runs it (Node with
// tsx) with `--cpu-prof`, takes the load for a few seconds, and is stopped with Ctrl+C (the
// profile is written as it exits). It prints the CPU time per answered request, by area (the
// lesson's code, Node's internals, system calls, the garbage collector) and by function, the
// largest difference first, and names the two .cpuprofile files: they open in Chrome's DevTools
// (Performance, "Load profile") or VS Code, with the whole call tree. tools/docs/profiling.md
// says how to read them.
//
//   npm run profile                                        64 reset-closing clients, 3 s
//   npm run profile -- --closing polite --seconds 10 --clients 16
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lessonNumbered, portFrom, readyLine } from "../src/lib/lessons.ts";
import { startProcess } from "../src/lib/process.ts";
import { load, stop } from "./measure.ts";
import { profileClients, profileClosing, seconds } from "./settings.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, in the words of this report. */
function areaOf({ functionName, url }: ProfileNode["callFrame"]): string {
  if (functionName === "(garbage collector)") return "garbage collector";
  if (functionName === "(idle)") return "idle (waiting for the network)";
  if (functionName === "(program)") return "V8 itself (compiling, the event loop)";
  if (url.startsWith("node:internal/modules") || url.includes("/node_modules/")) {
    return "start-up: loading and compiling modules (tsx included)";
  }
  if (url.includes("/lessons/")) return "the lesson's code";
  if (url.startsWith("node:")) return "Node's internals (JavaScript)";
  return "native (system calls, C++ builtins)";
}

/** Milliseconds of self time, by area and by function (name, file and line). */
function selfTimes(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) =>
    map.set(key, (map.get(key) ?? 0) + ms);
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id);
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (frame === undefined) return;
    add(areas, areaOf(frame), ms);
    const file = frame.url.replace(/^.*\/(lessons|node_modules|tools)\//, "$1/");
    const where = file === "" ? "" : `  ${file}:${frame.lineNumber + 1}`;
    add(functions, `${frame.functionName || "(anonymous)"}${where}`, ms);
  });
  return { areas, functions };
}

type Profiled = Awaited<ReturnType<typeof profiled>>;

/** Microseconds per answered request, lesson beside baseline, largest difference first. */
function compare(lesson: Profiled, baseline: Profiled, pick: "areas" | "functions", count: number) {
  const perRequest = (run: Profiled) => {
    const requests = run.result.rps * seconds;
    const times = selfTimes(run.profile)[pick];
    return new Map([...times].map(([key, ms]) => [key, (1000 * ms) / requests]));
  };
  const ours = perRequest(lesson);
  const theirs = perRequest(baseline);
  const keys = [...new Set([...ours.keys(), ...theirs.keys()])].filter(
    (key) => !key.startsWith("(idle)") && !key.startsWith("idle"),
  );
  const rows = keys
    .map((key) => ({ key, ours: ours.get(key) ?? 0, theirs: theirs.get(key) ?? 0 }))
    .sort((a, b) => b.ours - b.theirs - (a.ours - a.theirs))
    .slice(0, count)
    .map(
      ({ key, ours, theirs }) =>
        `${ours.toFixed(1).padStart(7)} ${theirs.toFixed(1).padStart(9)} ${(ours - theirs).toFixed(1).padStart(7)}   ${key}`,
    );
  return ["    lesson  baseline    more   (µs of CPU per request)", ...rows].join("\n");
}

/** Runs one server with --cpu-prof under the load; returns its load figures and its profile. */
async function profiled(kind: "lesson" | "baseline", folder: string) {
  // The lesson as students start it; the baseline takes its port as its one argument.
  const [cwd, program] =
    kind === "lesson"
      ? [lessonNumbered(3).folder, ["server.ts", "--port", "0"]]
      : [fileURLToPath(new URL(".", import.meta.url)), ["baseline-server.ts", "0"]];
  const profiling = ["--cpu-prof", "--cpu-prof-dir", join(folder, kind)];
  const server = startProcess(process.execPath, [...profiling, "--import", "tsx", ...program], {
    cwd,
  });
  const port = portFrom(await server.waitForLine(readyLine));
  server.discardOutput();
  const result = await load(server, port, profileClients, { closing: profileClosing });
  await stop(server);
  // One file per thread (tsx's loader runs in a worker): the main thread's is thread 0.
  const [written] = readdirSync(join(folder, kind)).filter((name) =>
    /\.\d+\.0\.\d+\.cpuprofile$/.test(name),
  );
  if (written === undefined) throw new Error(`the ${kind} server wrote no profile`);
  const path = join(folder, kind, written);
  return { result, path, profile: JSON.parse(readFileSync(path, "utf8")) as Profile };
}

const folder = mkdtempSync(join(tmpdir(), "socket-lessons-profile-"));
const lesson = await profiled("lesson", folder);
const baseline = await profiled("baseline", folder);
console.log(
  `${profileClients} ${profileClosing}-closing clients for ${seconds} s: lesson 3's server answered ${Math.round(lesson.result.rps)} requests/s (p99 ${lesson.result.p99.toFixed(2)} ms), the bare node:net baseline ${Math.round(baseline.result.rps)} (p99 ${baseline.result.p99.toFixed(2)} ms).\n`,
);
console.log("Where the time went, by area (waiting for the network left out):");
console.log(compare(lesson, baseline, "areas", 10));
console.log("\nThe functions where the lesson spends the most more than the baseline:");
console.log(compare(lesson, baseline, "functions", 25));
console.log(`\nThe whole profiles: ${lesson.path} and ${baseline.path}`);
