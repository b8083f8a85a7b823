// `npm run bench`: what concurrency buys, in numbers, measured side by side in one run on
// loopback: lesson 3's server against a bare node:net baseline and the seed's one-at-a-time
// loop; polite and reset-closing clients; a minute of resets (memory and log); memory per idle
// connection; UDP loss; startup time; how long an exercise's verdict takes. Writes a table to stdout,
// bench/results.json and docs/benchmarks.md (both in tools). `--smoke` is a tiny run for tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { lessonNumbered, lessons, nodeRunsTypeScript, readyLine } from "../src/lib/lessons.ts";
import { startLesson, startLessonServer, startNpm } from "../src/lib/lessons.ts";
import { residentMemory, startProcess } from "../src/lib/process.ts";
import { endurance } from "./endurance.ts";
import { alternate, connectSilent, load, startServer, stop, summarize } from "./measure.ts";
import type { Kind } from "./measure.ts";
import { renderClosingTable, renderReport, type Figure, type Results } from "./report.ts";
import {
  before,
  concurrencies,
  enduranceSeconds,
  only,
  out,
  runs,
  seconds,
  smoke,
} from "./settings.ts";
import { median } from "./stats.ts";
import { verdictFigures } from "./verdict.ts";
import { classFigures } from "./class.ts";

const lesson3 = lessonNumbered(3);
const lesson4 = lessonNumbered(4);
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

/** Request rates: every server runs at once, and each concurrency alternates between them. */
async function rateFigures(kinds: readonly Kind[]): Promise<Figure[]> {
  const servers = [];
  for (const kind of kinds) servers.push({ kind, ...(await startServer(kind)) });
  try {
    const figures = [];
    for (const concurrency of concurrencies) {
      const samples = await alternate(servers, ({ server, port }) =>
        load(server, port, concurrency),
      );
      figures.push(
        ...kinds.map((kind, index) => summarize(kind, concurrency, samples[index] ?? [])),
      );
    }
    return figures;
  } finally {
    for (const { server } of servers) await stop(server);
  }
}

/** The generator must not be the limit: more generator processes must not raise the rate. */
async function generatorCheck(concurrency: number): Promise<Figure[]> {
  const { server, port } = await startServer("baseline");
  try {
    const counts = [1, 2, 3];
    const samples = await alternate(counts, (generators) =>
      load(server, port, concurrency, { generators }),
    );
    return counts.map((generators, index) =>
      summarize("baseline", concurrency, samples[index] ?? [], { generators }),
    );
  } finally {
    await stop(server);
  }
}

/**
 * Head-of-line blocking: runs without and with silent clients alternate on one server, so the
 * fraction kept compares like with like.
 */
async function headOfLine(kind: Kind, concurrency: number, silentCount: number) {
  const { server, port } = await startServer(kind);
  try {
    const [without = [], withSilent = []] = await alternate([0, silentCount], async (count) => {
      const silent = await connectSilent(port, count);
      try {
        return await load(server, port, concurrency);
      } finally {
        for (const socket of silent) socket.destroy();
      }
    });
    return [
      summarize(kind, concurrency, without),
      summarize(kind, concurrency, withSilent, { silent: silentCount }),
    ];
  } finally {
    await stop(server);
  }
}

/**
 * Clients that close politely (a FIN after the request) and clients that reset once the reply is
 * in (a killed client, a browser, `nc` with Ctrl+C): every server and closing in turn, each round.
 */
async function closingFigures(kinds: readonly Kind[], concurrency: number): Promise<Figure[]> {
  const servers: ({ kind: Kind } & Awaited<ReturnType<typeof startServer>>)[] = [];
  for (const kind of kinds) servers.push({ kind, ...(await startServer(kind)) });
  const variants = (["polite", "reset"] as const).flatMap((closing) =>
    servers.map((server) => ({ ...server, closing })),
  );
  try {
    const samples = await alternate(variants, ({ server, port, closing }) =>
      load(server, port, concurrency, { closing }),
    );
    return variants.map(({ kind, closing }, index) =>
      summarize(kind, concurrency, samples[index] ?? [], { closing }),
    );
  } finally {
    for (const { server } of servers) await stop(server);
  }
}

/** RSS idle and with `count` idle connections, for one server. */
async function memory(kind: Kind, count: number) {
  const { server, port } = await startServer(kind);
  let sockets: Socket[] = [];
  try {
    await delay(300); // Let start-up allocation settle: this is a benchmark, not a test.
    const idle = residentMemory(server.child.pid) ?? NaN;
    sockets = await connectSilent(port, count);
    await delay(1_000); // Let the server accept them all.
    const loaded = residentMemory(server.child.pid) ?? NaN;
    return { idle, loaded, perConnection: (loaded - idle) / count };
  } finally {
    for (const socket of sockets) socket.destroy();
    await stop(server);
  }
}

/** Memory for each server, in alternating runs, as medians. */
async function memoryFigures(kinds: Kind[], count: number) {
  const samples = await alternate(kinds, (kind) => memory(kind, count));
  return kinds.map((kind, index) => {
    const runsOf = samples[index] ?? [];
    const result = {
      server: kind,
      connections: count,
      idleBytes: median(runsOf.map((each) => each.idle)),
      loadedBytes: median(runsOf.map((each) => each.loaded)),
      perConnection: median(runsOf.map((each) => each.perConnection)),
      perConnectionRuns: runsOf.map((each) => each.perConnection),
    };
    console.log(
      `${kind.padEnd(16)} RSS idle ${(result.idleBytes / 2 ** 20).toFixed(1)} MiB, with ${count} idle connections ${(result.loadedBytes / 2 ** 20).toFixed(1)} MiB: ${(result.perConnection / 1024).toFixed(1)} KiB each (${result.perConnectionRuns.map((each) => (each / 1024).toFixed(1)).join(", ")})`,
    );
    return result;
  });
}

/** A UDP burst through lesson 4's own sender and receiver, with the receiver's loss report. */
async function udpBurst(count: number) {
  const { server: receiver, port } = await startLessonServer(lesson4);
  try {
    const sender = await startLesson(lesson4, "client", ["--port", port, "--count", String(count)]);
    await sender.exit(120_000);
    const sent = /in ([\d.]+) s \(([\d,]+) datagrams\/s\)/.exec(sender.stdout.join("\n"));
    const report = /: (\d+) expected, (\d+) arrived, (\d+) lost \(([\d.]+)%\)/.exec(
      await receiver.waitForLine(/^Burst from/, 30_000),
    );
    const sendSeconds = Number(sent?.[1]);
    const arrived = Number(report?.[2]);
    return {
      count,
      sentPerSecond: Number(sent?.[2]?.replaceAll(",", "")),
      receivedPerSecond: arrived / sendSeconds,
      arrived,
      lostPercent: Number(report?.[4]),
    };
  } finally {
    await stop(receiver);
  }
}

/** Milliseconds from spawning until the server's first line. */
async function startup(how: string): Promise<number[]> {
  const times = [];
  for (let run = 0; run < (smoke ? 1 : 5); run += 1) {
    const began = performance.now();
    const server =
      how === "npm run lesson:3:server"
        ? startNpm(["run", "lesson:3:server", "--", "--port", "0"], {
            detached: process.platform !== "win32",
          })
        : startProcess(
            process.execPath,
            how === "tsx server.ts"
              ? [tsx, "server.ts", "--port", "0"]
              : ["server.ts", "--port", "0"],
            { cwd: lesson3.folder },
          );
    await server.waitForLine(readyLine, 30_000);
    times.push(performance.now() - began);
    await stop(server);
  }
  console.log(
    `startup ${how.padEnd(24)} median ${median(times).toFixed(0)} ms (${times.map((time) => time.toFixed(0)).join(", ")})`,
  );
  return times;
}

console.log(
  `Benchmark: ${runs} run(s) of ${seconds} s per figure, ${cpus().length} cores, Node ${process.version}\n`,
);
if (only === "verdict") {
  await verdictFigures(lessons, runs, { before });
  process.exit(0);
}
if (only === "class") {
  await classFigures(smoke ? 2 : 20, runs);
  process.exit(0);
}
if (only === "endurance") {
  await endurance(enduranceSeconds, 64);
  process.exit(0);
}
const closing = await closingFigures(["lesson", "baseline"], smoke ? 4 : 64);
if (only === "closing") {
  console.log(`\n${renderClosingTable(closing)}`);
  process.exit(0);
}
const enduranceRun = await endurance(enduranceSeconds, smoke ? 4 : 64);
const rates = await rateFigures(["lesson", "lesson --quiet", "baseline", "seed-style loop"]);
const generatorFigures = await generatorCheck(smoke ? 4 : 64);
const headOfLineFigures: Figure[] = [];
for (const kind of ["lesson", "seed-style loop"] as const)
  headOfLineFigures.push(...(await headOfLine(kind, smoke ? 4 : 16, 8)));
const memoryResults = await memoryFigures(["lesson", "baseline"], smoke ? 50 : 1000);
const udp = [];
for (const count of smoke ? [1000] : [10_000, 100_000]) {
  const samples = [];
  for (let run = 0; run < runs; run += 1) samples.push(await udpBurst(count));
  udp.push({
    count,
    samples,
    sentPerSecond: median(samples.map((s) => s.sentPerSecond)),
    receivedPerSecond: median(samples.map((s) => s.receivedPerSecond)),
    lostPercent: median(samples.map((s) => s.lostPercent)),
  });
  console.log(
    `UDP burst of ${count}: ${Math.round(udp.at(-1)?.sentPerSecond ?? 0)} sent/s, ${Math.round(udp.at(-1)?.receivedPerSecond ?? 0)} received/s, ${udp.at(-1)?.lostPercent}% lost (median of ${runs})`,
  );
}
const startups: Record<string, number[]> = {};
for (const how of [
  "npm run lesson:3:server",
  "tsx server.ts",
  ...(nodeRunsTypeScript ? ["node server.ts"] : []),
]) {
  startups[how] = await startup(how);
}

const verdicts = await verdictFigures(smoke ? [lessonNumbered(1)] : lessons, smoke ? 1 : runs, {
  smoke,
});

const results: Results = {
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryBytes: totalmem(),
    platform: process.platform,
  },
  node: process.version,
  date: new Date().toISOString(),
  settings: { seconds, runs, smoke },
  rates,
  generatorCheck: generatorFigures,
  headOfLine: headOfLineFigures,
  closing,
  memory: memoryResults,
  udp,
  startup: Object.fromEntries(
    Object.entries(startups).map(([how, times]) => [how, { medianMs: median(times), times }]),
  ),
  verdict: verdicts,
  endurance: enduranceRun,
};
const report = renderReport(results);
console.log(`\n${report.table}`);
mkdirSync(join(out, "bench"), { recursive: true });
mkdirSync(join(out, "docs"), { recursive: true });
writeFileSync(join(out, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, "docs", "benchmarks.md"), report.markdown);
console.log(
  `Wrote ${join(out, "bench", "results.json")} and ${join(out, "docs", "benchmarks.md")}`,
);
