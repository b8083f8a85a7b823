// A tiny run of `npm run bench`, so the benchmark cannot rot: every section produces numbers,
// the seed-style loop stalls behind silent clients while the lesson does not, and the lesson's
// log under reset-closing clients is complete. Then the endurance run's judgements, on made-up
// runs, so that each can be seen to fail.
import assert from "node:assert/strict";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Endurance, logComplete, memoryTrend } from "../bench/endurance-verdict.ts";
import type { Results } from "../bench/report.ts";
import { lessonNumbered, repositoryRoot } from "../src/lib/lessons.ts";
import { runProcess } from "../src/lib/process.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";

test(
  "the benchmark's smoke run measures every section and writes its reports",
  { timeout: 300_000 },
  async () => {
    const out = temporaryFolder("bench");
    const bench = await runProcess(
      process.execPath,
      ["--import", "tsx", "tools/bench/run.ts", "--smoke", "--out", out],
      {
        cwd: repositoryRoot,
        timeoutMs: 280_000,
      },
    );
    assert.equal(bench.code, 0, bench.stderr.join("\n"));
    const results = JSON.parse(readFileSync(join(out, "bench", "results.json"), "utf8")) as Results;
    for (const server of ["lesson", "lesson --quiet", "baseline", "seed-style loop"]) {
      assert.ok(
        results.rates.some((each) => each.server === server && each.rps > 0),
        server,
      );
    }
    if (process.platform === "linux") {
      assert.ok(
        results.rates.every((each) => each.cpuUs > 0),
        "every rate comes with the server's CPU time per request",
      );
    }
    for (const closing of ["polite", "reset"]) {
      for (const server of ["lesson", "baseline"]) {
        const figure = results.closing.find(
          (each) => each.server === server && each.closing === closing,
        );
        assert.ok(
          figure !== undefined && figure.rps > 0 && figure.errors === 0,
          `${server} under ${closing}-closing clients: ${JSON.stringify(figure?.rps)} requests/s`,
        );
      }
    }
    const withSilent = (server: string) =>
      results.headOfLine.find((each) => each.server === server && each.silent > 0);
    const stalled = withSilent("seed-style loop");
    const lesson = withSilent("lesson");
    assert.ok(stalled !== undefined && lesson !== undefined);
    assert.ok(
      lesson.rps > 0 && stalled.rps < lesson.rps / 10,
      `lesson ${lesson.rps}, seed-style ${stalled.rps}`,
    );
    assert.ok(results.memory.every((each) => each.perConnection > 0));
    assert.ok(results.udp.every((each) => each.sentPerSecond > 0));
    assert.ok(Object.values(results.startup).every((each) => each.medianMs > 0));
    assert.ok(results.verdict.length > 0);
    assert.ok(results.verdict.every((each) => each.medianMs > 0 && each.runs.length > 0));
    const stepsOf = (what: string) => results.verdict.find((each) => each.what === what)?.steps;
    assert.equal(stepsOf("node -e 0"), 0, "a bare start runs no steps");
    assert.ok((stepsOf("01-connect-only npm test") ?? 0) > 0, "the lesson's npm test ran steps");
    assert.ok(
      (stepsOf("01-connect-only exercise, level 2, solved") ?? 0) > 0,
      "the level 2 exercise's npm test ran steps",
    );
    const { endurance } = results;
    assert.ok(endurance.requests > 0, `${endurance.requests} lookups in the endurance run`);
    assert.ok(
      logComplete(endurance),
      `the lesson's log: ${JSON.stringify({ ...endurance, rssBytes: undefined })}`,
    );
    const markdown = readFileSync(join(out, "docs", "benchmarks.md"), "utf8");
    assert.match(markdown, /```mermaid\nxychart-beta\n/);
    assert.match(markdown, /## What the numbers teach/);
    assert.match(markdown, /## Clients that reset\n[\s\S]*\| lesson \| with a reset \|/);
    assert.match(markdown, /## A minute of resets\n[\s\S]*log complete: /);
  },
);

/** A run of 100 lookups, 3 of them cut off at the end, with a line for each. */
const wholeRun: Endurance = {
  seconds: 60,
  clients: 64,
  requests: 100,
  unfinished: 3,
  errors: 0,
  answered: 101,
  requestLines: 101,
  resetLines: 102,
  rssBytes: [],
};

test("the endurance log check accepts a whole log and names every kind of gap", () => {
  assert.equal(logComplete(wholeRun), true);
  assert.equal(logComplete({ ...wholeRun, resetLines: 99 }), false, "a reset without its line");
  assert.equal(logComplete({ ...wholeRun, requestLines: 99 }), false, "a request without its line");
  assert.equal(
    logComplete({ ...wholeRun, requestLines: 100 }),
    false,
    "fewer request lines than the server says it answered",
  );
  assert.equal(logComplete({ ...wholeRun, resetLines: 104 }), false, "more resets than lookups");
});

test("the endurance memory check tells flat from growing, and a run too short to judge", () => {
  const mib = (values: number[]) => values.map((value) => value * 2 ** 20);
  const settled = (at: number) => Array.from({ length: 10 }, () => at);
  const minute = (late: number) =>
    mib([
      ...settled(60),
      ...settled(100),
      ...settled(101),
      ...settled(99),
      ...settled(100),
      ...settled(late),
    ]);
  assert.equal(memoryTrend(minute(103)).flat, true, "3 % is noise");
  assert.equal(memoryTrend(minute(110)).flat, false, "10 % is growth");
  assert.equal(memoryTrend(mib([60, 61])).flat, undefined);
});

test(
  "npm run compare measures a copy of the lesson beside the lesson and the baseline",
  {
    timeout: 120_000,
  },
  async () => {
    const copy = temporaryFolder("compare");
    cpSync(lessonNumbered(3).folder, copy, {
      recursive: true,
      filter: (path) => !path.includes("node_modules"),
    });
    const compare = await runProcess(
      process.execPath,
      ["--import", "tsx", "tools/bench/compare.ts", "--variants", copy, "--smoke"],
      { cwd: repositoryRoot, timeoutMs: 100_000 },
    );
    assert.equal(compare.code, 0, compare.stderr.join("\n"));
    for (const name of ["lesson", copy, "baseline"]) {
      const row = compare.stdout.find((line) => line.includes(`   ${name}  (`));
      const ratios = row?.trim().split(/\s+/).slice(0, 3).map(Number);
      assert.ok(
        ratios?.length === 3 && ratios.every((ratio) => ratio > 0),
        `a row of three ratios for ${name}: ${compare.stdout.join("\n")}`,
      );
    }
  },
);
