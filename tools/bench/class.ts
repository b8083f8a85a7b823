// `npm run bench -- --only class`: how fast a teacher grades a class of lesson 3 servers (the
// Python solution, handed in N times), in submissions per minute: one at a time, with `--jobs`
// at the number of cores (the default) and at twice that (a check mostly waits on its steps'
// pauses), and, where Linux allows, with --sandbox; the rounds interleaved, so that a busy
// machine slows every figure alike. Every row must score in full: a correct program that fails
// when graded side by side is a verdict that changes under load, and the bench says so.
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { sandboxUnavailable } from "../src/executable/sandbox.ts";
import { repositoryRoot, studentEnvironment } from "../src/lib/lessons.ts";
import { runProcess } from "../src/lib/process.ts";
import { solutionFile } from "../src/lib/python.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { median } from "./stats.ts";

export async function classFigures(size: number, runs: number): Promise<void> {
  const folder = temporaryFolder("bench-class");
  for (let index = 1; index <= size; index += 1) {
    const submission = join(folder, `s${String(index).padStart(3, "0")}`);
    mkdirSync(submission);
    cpSync(solutionFile("server3.py"), join(submission, "server.py"));
  }
  const jobs = availableParallelism();
  const ways = [
    { what: "one at a time", args: ["--jobs", "1"] },
    { what: `--jobs ${jobs}`, args: ["--jobs", String(jobs)] },
    { what: `--jobs ${jobs * 2}`, args: ["--jobs", String(jobs * 2)] },
    ...(sandboxUnavailable() === undefined
      ? [{ what: `--jobs ${jobs} --sandbox`, args: ["--jobs", String(jobs), "--sandbox"] }]
      : []),
  ];
  const seconds = new Map<string, number[]>(ways.map(({ what }) => [what, []]));
  for (let round = 0; round < runs; round += 1) {
    for (const { what, args } of ways) {
      const began = performance.now();
      const check = join(repositoryRoot, "tools/src/commands/check.ts");
      const graded = await runProcess(
        process.execPath,
        ["--import", "tsx", check, "3", "--each", ".", "--table", "bench", ...args],
        {
          cwd: repositoryRoot,
          env: { ...studentEnvironment(), INIT_CWD: folder },
          timeoutMs: 3_600_000,
        },
      );
      if (graded.code !== 0)
        throw new Error(`--each ${args.join(" ")}: ${graded.stderr.join("\n")}`);
      seconds.get(what)?.push((performance.now() - began) / 1000);
      const { submissions } = JSON.parse(readFileSync(join(folder, "bench.json"), "utf8")) as {
        submissions: { submission: string; score: number; of: number; firstFailure: string }[];
      };
      for (const row of submissions.filter((each) => each.score < each.of)) {
        console.log(
          `  ${what}: ${row.submission} scored ${row.score}/${row.of}, first failing: ${row.firstFailure}`,
        );
      }
    }
  }
  console.log(`A class of ${size} lesson 3 servers (Python), median of ${runs}:`);
  const alone = median(seconds.get("one at a time") ?? []);
  for (const { what } of ways) {
    const taken = median(seconds.get(what) ?? []);
    const perMinute = (size / taken) * 60;
    console.log(
      `  ${what.padEnd(24)} ${taken.toFixed(1).padStart(6)} s  ${perMinute.toFixed(1).padStart(6)} submissions/min  ${(alone / taken).toFixed(2)}x one at a time; 300 in ${((300 / perMinute) | 0) + 1} min`,
    );
  }
}
