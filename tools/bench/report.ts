// Turns a benchmark run into the stdout table and docs/benchmarks.md. Every number comes from
// the run's results; nothing here is measured or assumed.
import { describeLog, describeMemory, type Endurance, FLAT_PERCENT } from "./endurance-verdict.ts";
import type { Closing } from "./settings.ts";
import { median, roundRatios } from "./stats.ts";
import type { Verdict } from "./verdict.ts";

export interface Figure {
  server: string;
  concurrency: number;
  silent: number;
  generators: number;
  /** How the load's clients closed: polite (FIN) or reset (RST). */
  closing: Closing;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  /** The server's own CPU time per answered request, in microseconds (NaN off Linux). */
  cpuUs: number;
  errors: number;
  /** One per round, in the order the rounds ran. */
  samples: { rps: number; p99: number }[];
}

export interface Results {
  machine: { cpu: string; cores: number; memoryBytes: number; platform: string };
  node: string;
  date: string;
  settings: { seconds: number; runs: number; smoke: boolean };
  rates: Figure[];
  generatorCheck: Figure[];
  headOfLine: Figure[];
  /** Lesson and baseline under polite and reset-closing clients, in interleaved rounds. */
  closing: Figure[];
  memory: {
    server: string;
    connections: number;
    idleBytes: number;
    loadedBytes: number;
    perConnection: number;
    perConnectionRuns: number[];
  }[];
  udp: { count: number; sentPerSecond: number; receivedPerSecond: number; lostPercent: number }[];
  startup: Record<string, { medianMs: number; times: number[] }>;
  verdict: Verdict[];
  endurance: Endurance;
}

const round = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(2)} ms`;
const us = (value: number) => (Number.isNaN(value) ? "n/a" : `${value.toFixed(0)} µs`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");

/**
 * A server against the baseline: each round measured both back to back, so the ratio is taken
 * round by round and its median reported. A slow moment on the shared machine then touches both
 * sides of each ratio, where a ratio of two medians could pair a quiet round with a busy one.
 */
function roundRatio(figure: Figure | undefined, baseline: Figure | undefined, key: "rps" | "p99") {
  if (figure === undefined || baseline === undefined) return "n/a";
  const value = median(roundRatios(figure.samples, baseline.samples, key));
  return Number.isNaN(value) ? "n/a" : value.toFixed(2);
}

function find(
  figures: Figure[],
  server: string,
  concurrency: number,
  silent = 0,
): Figure | undefined {
  return figures.find(
    (each) => each.server === server && each.concurrency === concurrency && each.silent === silent,
  );
}

/** Polite against reset-closing clients, each server beside the baseline under the same closing. */
export function renderClosingTable(figures: Figure[]): string {
  const rows = [
    "| server | clients close | clients | requests/s (min-max) | p99 | ÷ baseline req/s | ÷ baseline p99 | server CPU per request | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const each of figures) {
    const baseline = figures.find(
      (other) => other.server === "baseline" && other.closing === each.closing,
    );
    rows.push(
      `| ${each.server} | ${each.closing === "reset" ? "with a reset" : "politely"} | ${each.concurrency} | ${round(each.rps)} (${round(each.rpsMin)}-${round(each.rpsMax)}) | ${ms(each.p99)} | ${roundRatio(each, baseline, "rps")} | ${roundRatio(each, baseline, "p99")} | ${us(each.cpuUs)} | ${each.errors} |`,
    );
  }
  return rows.join("\n");
}

export function renderReport(results: Results): { table: string; markdown: string } {
  const concurrencies = [...new Set(results.rates.map((each) => each.concurrency))];
  const servers = [...new Set(results.rates.map((each) => each.server))];
  const rows = [
    "| server | clients | requests/s (min-max) | p50 | p99 | ÷ baseline req/s | ÷ baseline p99 | server CPU per request | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const concurrency of concurrencies) {
    const baseline = find(results.rates, "baseline", concurrency);
    for (const server of servers) {
      const each = find(results.rates, server, concurrency);
      if (each === undefined) continue;
      rows.push(
        `| ${server} | ${concurrency} | ${round(each.rps)} (${round(each.rpsMin)}-${round(each.rpsMax)}) | ${ms(each.p50)} | ${ms(each.p99)} | ${roundRatio(each, baseline, "rps")} | ${roundRatio(each, baseline, "p99")} | ${us(each.cpuUs)} | ${each.errors} |`,
      );
    }
  }
  const rateTable = rows.join("\n");

  // Runs with and without silent clients alternated on one server; each pair is compared.
  const hol = [
    "| server | clients | without silent clients (min-max) | with silent clients (min-max) | with ÷ without |",
    "| --- | --- | --- | --- | --- |",
  ];
  const holPairs = results.headOfLine
    .filter((each) => each.silent > 0)
    .map((withSilent) => ({
      withSilent,
      without: find(results.headOfLine, withSilent.server, withSilent.concurrency),
    }));
  for (const { withSilent, without } of holPairs) {
    hol.push(
      `| ${withSilent.server} | ${withSilent.concurrency} | ${round(without?.rps ?? NaN)} req/s (${round(without?.rpsMin ?? NaN)}-${round(without?.rpsMax ?? NaN)}) | ${round(withSilent.rps)} req/s (${round(withSilent.rpsMin)}-${round(withSilent.rpsMax)}), ${withSilent.silent} silent | ${roundRatio(withSilent, without, "rps")} |`,
    );
  }
  const gen = results.generatorCheck
    .map((each) => `${each.generators} generator process(es): ${round(each.rps)} req/s`)
    .join("; ");
  const mem = [
    "| server | RSS idle | RSS with idle connections | per connection (runs) | ÷ baseline |",
    "| --- | --- | --- | --- | --- |",
  ];
  const lessonMemory = results.memory.find((each) => each.server === "lesson");
  const baselineMemory = results.memory.find((each) => each.server === "baseline");
  for (const each of results.memory) {
    mem.push(
      `| ${each.server} | ${(each.idleBytes / 2 ** 20).toFixed(1)} MiB | ${(each.loadedBytes / 2 ** 20).toFixed(1)} MiB (${each.connections}) | ${kib(each.perConnection)} (${each.perConnectionRuns.map(kib).join(", ")}) | ${ratio(each.perConnection, baselineMemory?.perConnection ?? 0)} |`,
    );
  }
  const udp = ["| burst | sent/s | received/s | lost |", "| --- | --- | --- | --- |"];
  for (const each of results.udp)
    udp.push(
      `| ${round(each.count)} | ${round(each.sentPerSecond)} | ${round(each.receivedPerSecond)} | ${each.lostPercent.toFixed(1)}% |`,
    );
  const startup = ["| command | median time to first line | runs |", "| --- | --- | --- |"];
  for (const [how, each] of Object.entries(results.startup))
    startup.push(
      `| \`${how}\` | ${each.medianMs.toFixed(0)} ms | ${each.times.map((time) => time.toFixed(0)).join(", ")} |`,
    );
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const verdict = [
    "| what | steps | median | runs |",
    "| --- | --- | --- | --- |",
    ...results.verdict.map(
      (each) =>
        `| ${each.what} | ${each.steps || ""} | ${seconds(each.medianMs)} | ${each.runs.map(seconds).join(", ")} |`,
    ),
  ];

  const closingTable = renderClosingTable(results.closing);
  const enduranceLines = renderEndurance(results.endurance);
  const table = [
    rateTable,
    "",
    closingTable,
    "",
    enduranceLines,
    "",
    hol.join("\n"),
    "",
    `Generator check (baseline): ${gen}`,
    "",
    mem.join("\n"),
    "",
    udp.join("\n"),
    "",
    startup.join("\n"),
    "",
    verdict.join("\n"),
  ].join("\n");

  const chartServers = servers.filter((server) => server !== "lesson --quiet");
  const series = chartServers.map(
    (server) =>
      `    line [${concurrencies.map((concurrency) => Math.round(find(results.rates, server, concurrency)?.rps ?? 0)).join(", ")}]`,
  );
  const top = Math.max(...results.rates.map((each) => each.rps)) * 1.1;
  const lesson64 =
    find(results.rates, "lesson", 64) ?? find(results.rates, "lesson", concurrencies.at(-1) ?? 1);
  const quiet64 = find(results.rates, "lesson --quiet", lesson64?.concurrency ?? 0);
  const base64 = find(results.rates, "baseline", lesson64?.concurrency ?? 0);
  const seed64 = find(results.rates, "seed-style loop", lesson64?.concurrency ?? 0);
  const seedHol = holPairs.find((each) => each.withSilent.server === "seed-style loop");
  const lessonHol = holPairs.find((each) => each.withSilent.server === "lesson");

  const markdown = `# Benchmarks

Generated by \`npm run bench\` on ${results.date.slice(0, 10)}: ${results.machine.cores} cores (${results.machine.cpu}),
${(results.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${results.machine.platform}, Node ${results.node}. Each figure is the median
of ${results.settings.runs} run(s) of ${results.settings.seconds} s, with the spread in brackets; every run is in
[\`bench/results.json\`](../bench/results.json). Servers and load generators share one machine on
loopback, so compare figures within this page, not with other machines. Figures that are compared
were measured in alternating rounds (every server, every generator count, with and without silent
clients, in turn), so a slow moment on the shared machine touches all of them alike, and a
"÷ baseline" figure is the median of the round-by-round ratios. "Server CPU per request" is the
server process's own CPU time divided by the requests it answered.

## What the numbers teach

Lesson 3's server, exactly as students run it (logging every request), answered
${round(lesson64?.rps ?? NaN)} lookups/s at ${lesson64?.concurrency} clients, ${roundRatio(lesson64, base64, "rps")} × the bare \`node:net\`
baseline's ${round(base64?.rps ?? NaN)}, with a p99 latency ${roundRatio(lesson64, base64, "p99")} × the baseline's; with \`--quiet\` it answered
${round(quiet64?.rps ?? NaN)} (${roundRatio(quiet64, base64, "rps")} ×). The server itself spent ${us(lesson64?.cpuUs ?? NaN)} of CPU per request, logging
included, against the baseline's ${us(base64?.cpuUs ?? NaN)}; the rest of the machine ran the load generators.
With ${lessonHol?.withSilent.silent} silent clients connected, the lesson ran at ${roundRatio(lessonHol?.withSilent, lessonHol?.without, "rps")} × its rate without them, because the
event loop only runs code when a socket has something to say. The seed's design, one loop that
accepts, waits for the request and replies, went from ${round(seedHol?.without?.rps ?? NaN)} to ${round(seedHol?.withSilent.rps ?? NaN)} lookups/s:
the first silent client holds the loop, and everyone behind it waits. When every client sends
its request at once, the same loop keeps up (${roundRatio(seed64, base64, "rps")} × the baseline at ${base64?.concurrency} clients), because
each request takes well under a millisecond: one at a time fails only when a client is slow. Each idle connection cost
the lesson ${kib(lessonMemory?.perConnection ?? NaN)} of memory against the baseline's
${kib(baselineMemory?.perConnection ?? NaN)} (${ratio(lessonMemory?.perConnection ?? 0, baselineMemory?.perConnection ?? 0)} ×). UDP senders outrun receivers: see the loss below.

## Requests per second against clients

\`\`\`mermaid
xychart-beta
    title "Course lookups per second (one lookup per connection)"
    x-axis "concurrent clients" [${concurrencies.join(", ")}]
    y-axis "requests/s" 0 --> ${Math.ceil(top)}
${series.join("\n")}
\`\`\`

Lines, in order: ${chartServers.join(", ")}.

${rateTable}

## Clients that reset

A client that is killed, a browser, or \`nc\` stopped with Ctrl+C does not close politely: it
resets the connection. The server then reads an error (ECONNRESET) instead of the end of the
stream, and the lesson logs one more line for it. Here each client sends \`python\\n\`, reads the
reply and either half-closes and waits for the server's close (politely), or resets at once
(\`socket.resetAndDestroy()\`, as SO_LINGER 0 does). Each server is compared with the baseline
under the same closing; every server and closing took turns, round after round.

${closingTable}

## A minute of resets

The same reset-closing clients (${results.endurance.clients} at once) for ${results.endurance.seconds} s against one lesson 3 server, as
students start it. Its log is read to the end and its lines counted against what the clients
did; its resident memory is read once a second. Memory is flat when the last sixth of the run
is within ${FLAT_PERCENT} % of the second sixth (10 to 20 s of a minute, once start-up has settled).

${enduranceLines}

${renderMemoryChart(results.endurance)}

## Head-of-line blocking

${hol.join("\n")}

## Is the load generator the limit?

${gen}. If more generator processes do not raise the baseline's rate, the server is the limit.

## Memory

${mem.join("\n")}

## UDP (lesson 4's own sender and loss report)

${udp.join("\n")}

## Startup

${startup.join("\n")}

## An exercise's verdict

\`npm test\` as a student runs it after each save: in each lesson's folder, and in exercise
folders (\`npm run exercise\`, both levels) holding the lesson's own code, after one run that
warms tsx's cache as the student's first run does; lesson 3's starter with nothing written
fails. Beside them, in the same rounds, a bare Node start and one tsx start: on a slower
machine, all of them grow together.

${verdict.join("\n")}
`;
  return { table, markdown };
}

/** The endurance run in two sentences: its log, then its memory. */
function renderEndurance(run: Endurance): string {
  return `- ${describeLog(run)}.\n- ${describeMemory(run)}.`;
}

/** Resident memory, second by second. */
function renderMemoryChart(run: Endurance): string {
  const mib = run.rssBytes.map((bytes) => (bytes / 2 ** 20).toFixed(1));
  const top = Math.ceil(Math.max(...run.rssBytes) / 2 ** 20 / 10) * 10;
  return `\`\`\`mermaid
xychart-beta
    title "Lesson 3's resident memory under reset-closing clients"
    x-axis "seconds" 1 --> ${run.rssBytes.length}
    y-axis "MiB" 0 --> ${top}
    line [${mib.join(", ")}]
\`\`\``;
}
