// The benchmark's measuring tools: the TCP servers under test, one closed-loop load run, the
// median of several, and rounds that alternate between variants so that a slow moment on a
// shared machine touches every variant alike.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { lessonNumbered, portFrom, readyLine, startLesson } from "../src/lib/lessons.ts";
import { cpuTime, startProcess, type RunningProcess } from "../src/lib/process.ts";
import type { Figure } from "./report.ts";
import { runs, seconds, type Closing } from "./settings.ts";
import { median, percentile } from "./stats.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const lesson3 = lessonNumbered(3);

export type Kind = "lesson" | "lesson --quiet" | "baseline" | "seed-style loop";

/** Starts one of the servers under test on a free port. */
export async function startServer(kind: Kind): Promise<{ server: RunningProcess; port: string }> {
  const server =
    kind === "lesson" || kind === "lesson --quiet"
      ? await startLesson(lesson3, "server", [
          "--port",
          "0",
          ...(kind === "lesson" ? [] : ["--quiet"]),
        ])
      : startProcess(
          process.execPath,
          ["--import", "tsx", kind === "baseline" ? "baseline-server.ts" : "seed-style-server.ts"],
          { cwd: here },
        );
  return serving(server);
}

/**
 * A copy of lesson 3 (`npm run compare`), wherever it is: tsx is loaded from this repository by
 * its path, so the copy needs no node_modules of its own.
 */
export async function startLessonCopy(folder: string) {
  const tsx = import.meta.resolve("tsx");
  return serving(
    startProcess(process.execPath, ["--import", tsx, "server.ts", "--port", "0"], { cwd: folder }),
  );
}

/** Waits for a server's ready line and reads its port; from then on its log is dropped. */
async function serving(server: RunningProcess): Promise<{ server: RunningProcess; port: string }> {
  const port = portFrom(await server.waitForLine(readyLine));
  server.discardOutput(); // The lesson logs a line per request: read them, as a terminal would.
  return { server, port };
}

export async function stop(server: RunningProcess): Promise<void> {
  server.interrupt();
  await server.exit(5_000).catch(() => {
    server.killTree();
  });
}

/** One closed-loop load run: `generators` processes share `concurrency` virtual clients. */
export async function load(
  server: RunningProcess,
  port: string,
  concurrency: number,
  {
    generators = 2,
    closing = "polite",
    duration = seconds,
  }: { generators?: number; closing?: Closing; duration?: number } = {},
) {
  const shares = Array.from(
    { length: generators },
    (_, index) => Math.floor(concurrency / generators) + (index < concurrency % generators ? 1 : 0),
  ).filter((share) => share > 0);
  const cpuBefore = cpuTime(server.child.pid);
  const results = await Promise.all(
    shares.map(async (share) => {
      const generator = startProcess(
        process.execPath,
        ["--import", "tsx", "load.ts", port, String(share), String(duration * 1000), closing],
        { cwd: here },
      );
      await generator.exit(duration * 1000 + 60_000);
      return JSON.parse(generator.stdout.at(-1) ?? "{}") as {
        completed: number;
        errors: number;
        unfinished: number;
        latencies: number[];
      };
    }),
  );
  const serverCpuMs = (cpuTime(server.child.pid) ?? NaN) - (cpuBefore ?? NaN);
  const latencies = results.flatMap((result) => result.latencies).sort((a, b) => a - b);
  const completed = results.reduce((sum, result) => sum + result.completed, 0);
  return {
    completed,
    rps: completed / duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    // The server's own CPU time per answered request, whatever the generators cost.
    cpuUs: completed > 0 ? (serverCpuMs * 1000) / completed : NaN,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    /** Lookups still waiting when the time was up, cut off by their clients. */
    unfinished: results.reduce((sum, result) => sum + result.unfinished, 0),
  };
}

export type Sample = Awaited<ReturnType<typeof load>>;

/** The median of several runs of one load, with the spread of its rate. */
export function summarize(
  kind: Kind,
  concurrency: number,
  samples: Sample[],
  settings: { silent?: number; generators?: number; closing?: Closing } = {},
): Figure {
  const result: Figure = {
    server: kind,
    concurrency,
    silent: settings.silent ?? 0,
    generators: settings.generators ?? 2,
    closing: settings.closing ?? "polite",
    rps: median(samples.map((sample) => sample.rps)),
    rpsMin: Math.min(...samples.map((sample) => sample.rps)),
    rpsMax: Math.max(...samples.map((sample) => sample.rps)),
    p50: median(samples.map((sample) => sample.p50)),
    p99: median(samples.map((sample) => sample.p99)),
    cpuUs: median(samples.map((sample) => sample.cpuUs)),
    errors: samples.reduce((sum, sample) => sum + sample.errors, 0),
    samples,
  };
  console.log(
    `${kind.padEnd(16)} c=${String(concurrency).padStart(3)} silent=${result.silent} gen=${result.generators} ${result.closing}: ` +
      `${Math.round(result.rps)} req/s (${Math.round(result.rpsMin)}-${Math.round(result.rpsMax)}), ` +
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
      `server CPU ${result.cpuUs.toFixed(0)} µs/request, ${result.errors} errors`,
  );
  return result;
}

/**
 * Measures each variant in turn, round after round, so that a slow moment on this shared
 * machine touches every variant alike. Returns each variant's samples, in the variants' order.
 */
export async function alternate<Variant, Result = Sample>(
  variants: readonly Variant[],
  measureOnce: (variant: Variant) => Promise<Result>,
): Promise<Result[][]> {
  const samples = variants.map((): Result[] => []);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, variant] of variants.entries())
      samples[index]?.push(await measureOnce(variant));
  }
  return samples;
}

/** `count` clients that connect and then say nothing. */
export async function connectSilent(port: string, count: number): Promise<Socket[]> {
  const sockets = Array.from({ length: count }, () => {
    const socket = connect({ host: "127.0.0.1", port: Number(port) });
    socket.on("error", () => undefined);
    return socket;
  });
  await Promise.all(sockets.map((socket) => once(socket, "connect")));
  return sockets;
}
