// `npm run soak [-- --count N]`: the races suite (tools/test/races.test.ts) with every case
// provoked N times instead of npm test's 30, for use before a release; with --edges, the correct
// Python programs at the edges of each lesson's contract (tools/exercises/python-edges.ts),
// checked N times each instead of once. Exit 0 when all held.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { repositoryRoot } from "../lib/lessons.ts";

const usage = `Usage: npm run soak [-- --count <n>] [--edges]

Runs every race case (a reset right after connecting, before and after the reply, Ctrl+C
during a request, a server killed mid-reply) n times each (default: 300).
--edges instead runs npm run check n times on each correct Python program at an edge of a
lesson's contract (the shortest and longest pause, ...): every run must pass.`;

let count: number;
let edges: boolean;
try {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "300" },
      edges: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  edges = values.edges;
  count = /^\d+$/.test(values.count) ? Number(values.count) : NaN;
  if (!(count >= 1))
    throw new Error(`--count must be a whole number from 1 up, not "${values.count}".`);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  process.exit(2);
}

/** The edges are checks of a whole program, seconds each: only the edges' tests run. */
const tests = edges
  ? ["--test-name-pattern=at an edge", "test/checker.test.ts"]
  : ["test/races.test.ts"];
const suite = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", ...tests],
  {
    cwd: `${repositoryRoot}/tools`,
    env: {
      ...process.env,
      [edges ? "SOCKET_LESSONS_EDGE_ROUNDS" : "SOCKET_LESSONS_ROUNDS"]: String(count),
    },
    stdio: "inherit",
  },
);
const [code] = (await once(suite, "exit")) as [number | null];
process.exitCode = code ?? 1;
