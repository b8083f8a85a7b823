// `npm run compare`: lesson 3's server beside copies of it, each with one thing changed, and the
// bare node:net baseline, all under the same load in interleaved rounds. It answers "what does
// this feature cost?" where a profile cannot: a profile samples where time is spent, and on a
// virtual machine it charges system calls more than they cost, while a copy without the feature
// shows what the whole process saves. tools/docs/profiling.md has the recipe.
//
//   cp -r lessons/03-course-lookup /tmp/without-idle-timer    (then take the feature out there)
//   npm run compare -- --variants /tmp/without-idle-timer --runs 15 --seconds 2
import { alternate, load, type Sample, startLessonCopy, startServer, stop } from "./measure.ts";
import { profileClients, profileClosing, runs, seconds, variantFolders } from "./settings.ts";
import { median, roundRatios } from "./stats.ts";

if (variantFolders.length === 0) {
  console.error(
    "Usage: npm run compare -- --variants <folder>[,<folder>...] [--runs 15] [--seconds 2]",
  );
  process.exit(2);
}

const servers = [{ name: "lesson", ...(await startServer("lesson")) }];
for (const folder of variantFolders) {
  servers.push({ name: folder, ...(await startLessonCopy(folder)) });
}
servers.push({ name: "baseline", ...(await startServer("baseline")) });
try {
  console.log(
    `${profileClients} ${profileClosing}-closing clients, ${runs} interleaved rounds of ${seconds} s; each figure is the median of the rounds' ratios to the baseline:\n`,
  );
  const samples = await alternate(servers, ({ server, port }) =>
    load(server, port, profileClients, { closing: profileClosing }),
  );
  const baseline = samples.at(-1) ?? [];
  const ratio = (of: Sample[], key: "rps" | "p99" | "cpuUs") =>
    median(roundRatios(of, baseline, key)).toFixed(3);
  console.log("  req/s    p99   CPU/request   (req/s ratio, round by round)");
  for (const [index, { name }] of servers.entries()) {
    const own = samples[index] ?? [];
    const spread = roundRatios(own, baseline, "rps").map((each) => each.toFixed(2));
    console.log(
      `  ${ratio(own, "rps")}  ${ratio(own, "p99")}  ${ratio(own, "cpuUs")}   ${name}  (${spread.join(" ")})`,
    );
  }
} finally {
  for (const { server } of servers) await stop(server);
}
