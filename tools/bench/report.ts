// Turns a benchmark run into the stdout table and docs/benchmarks.md. Every number comes from
// the run's results; nothing here is measured or assumed.

export interface Figure {
  server: string;
  concurrency: number;
  silent: number;
  generators: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  errors: number;
  samples: unknown[];
}

export interface Results {
  machine: { cpu: string; cores: number; memoryBytes: number; platform: string };
  node: string;
  date: string;
  settings: { seconds: number; runs: number; smoke: boolean };
  rates: Figure[];
  generatorCheck: Figure[];
  headOfLine: Figure[];
  memory: {
    server: string;
    connections: number;
    idleBytes: number;
    loadedBytes: number;
    perConnection: number;
  }[];
  udp: { count: number; sentPerSecond: number; receivedPerSecond: number; lostPercent: number }[];
  startup: Record<string, { medianMs: number; times: number[] }>;
}

const round = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(2)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");

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

export function renderReport(results: Results): { table: string; markdown: string } {
  const concurrencies = [...new Set(results.rates.map((each) => each.concurrency))];
  const servers = [...new Set(results.rates.map((each) => each.server))];
  const rows = [
    "| server | clients | requests/s (min-max) | p50 | p99 | ÷ baseline req/s | ÷ baseline p99 | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const concurrency of concurrencies) {
    const baseline = find(results.rates, "baseline", concurrency);
    for (const server of servers) {
      const each = find(results.rates, server, concurrency);
      if (each === undefined) continue;
      rows.push(
        `| ${server} | ${concurrency} | ${round(each.rps)} (${round(each.rpsMin)}-${round(each.rpsMax)}) | ${ms(each.p50)} | ${ms(each.p99)} | ${ratio(each.rps, baseline?.rps ?? 0)} | ${ratio(each.p99, baseline?.p99 ?? 0)} | ${each.errors} |`,
      );
    }
  }
  const rateTable = rows.join("\n");

  const hol = [
    "| server | clients | without silent clients | with 8 silent clients | fraction kept |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const withSilent of results.headOfLine) {
    const without = find(results.rates, withSilent.server, withSilent.concurrency);
    hol.push(
      `| ${withSilent.server} | ${withSilent.concurrency} | ${round(without?.rps ?? NaN)} req/s | ${round(withSilent.rps)} req/s | ${ratio(withSilent.rps, without?.rps ?? 0)} |`,
    );
  }
  const gen = results.generatorCheck
    .map((each) => `${each.generators} generator process(es): ${round(each.rps)} req/s`)
    .join("; ");
  const mem = [
    "| server | RSS idle | RSS with idle connections | per connection |",
    "| --- | --- | --- | --- |",
  ];
  for (const each of results.memory) {
    mem.push(
      `| ${each.server} | ${(each.idleBytes / 2 ** 20).toFixed(1)} MiB | ${(each.loadedBytes / 2 ** 20).toFixed(1)} MiB (${each.connections}) | ${(each.perConnection / 1024).toFixed(1)} KiB |`,
    );
  }
  const lessonMemory = results.memory.find((each) => each.server === "lesson");
  const baselineMemory = results.memory.find((each) => each.server === "baseline");
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

  const table = [
    rateTable,
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
  const seedHol = results.headOfLine.find((each) => each.server === "seed-style loop");
  const lessonHol = results.headOfLine.find((each) => each.server === "lesson");
  const seedWithout = seedHol && find(results.rates, seedHol.server, seedHol.concurrency);
  const lessonWithout = lessonHol && find(results.rates, lessonHol.server, lessonHol.concurrency);

  const markdown = `# Benchmarks

Generated by \`npm run bench\` on ${results.date.slice(0, 10)}: ${results.machine.cores} cores (${results.machine.cpu}),
${(results.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${results.machine.platform}, Node ${results.node}. Each figure is the median
of ${results.settings.runs} run(s) of ${results.settings.seconds} s, with the spread in brackets; every run is in
[\`bench/results.json\`](../bench/results.json). Servers and load generators share one machine on
loopback, so compare figures within this page, not with other machines.

## What the numbers teach

Lesson 3's server, exactly as students run it (logging every request), answered
${round(lesson64?.rps ?? NaN)} lookups/s at ${lesson64?.concurrency} clients, ${ratio(lesson64?.rps ?? 0, base64?.rps ?? 0)} × the bare \`node:net\`
baseline's ${round(base64?.rps ?? NaN)}; with \`--quiet\` it answered ${round(quiet64?.rps ?? NaN)} (${ratio(quiet64?.rps ?? 0, base64?.rps ?? 0)} ×).
With 8 silent clients connected first, the lesson kept ${ratio(lessonHol?.rps ?? 0, lessonWithout?.rps ?? 0)} of its rate, because the
event loop only runs code when a socket has something to say. The seed's design, one loop that
accepts, waits for the request and replies, went from ${round(seedWithout?.rps ?? NaN)} to ${round(seedHol?.rps ?? NaN)} lookups/s:
the first silent client holds the loop, and everyone behind it waits. Each idle connection cost
the lesson ${((lessonMemory?.perConnection ?? NaN) / 1024).toFixed(1)} KiB against the baseline's
${((baselineMemory?.perConnection ?? NaN) / 1024).toFixed(1)} KiB. UDP senders outrun receivers: see the loss below.

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
`;
  return { table, markdown };
}
