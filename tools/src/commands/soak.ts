// `npm run soak [-- --count N]`: the races suite (tools/test/races.test.ts) with every case
// provoked N times instead of npm test's 30, for use before a release. Exit 0 when all held.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { repositoryRoot } from "../lib/lessons.ts";

const usage = `Usage: npm run soak [-- --count <n>]

Runs every race case (a reset right after connecting, before and after the reply, Ctrl+C
during a request, a server killed mid-reply) n times each (default: 300).`;

let count: number;
try {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "300" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  count = /^\d+$/.test(values.count) ? Number(values.count) : NaN;
  if (!(count >= 1))
    throw new Error(`--count must be a whole number from 1 up, not "${values.count}".`);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  process.exit(2);
}

const suite = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", "test/races.test.ts"],
  {
    cwd: `${repositoryRoot}/tools`,
    env: { ...process.env, SOCKET_LESSONS_ROUNDS: String(count) },
    stdio: "inherit",
  },
);
const [code] = (await once(suite, "exit")) as [number | null];
process.exitCode = code ?? 1;
