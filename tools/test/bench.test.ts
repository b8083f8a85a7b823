// A tiny run of `npm run bench`, so the benchmark cannot rot: every section produces numbers,
// and the seed-style loop stalls behind silent clients while the lesson does not.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Results } from "../bench/report.ts";
import { repositoryRoot } from "../src/lessons.ts";
import { runProcess } from "../src/process.ts";

test(
  "the benchmark's smoke run measures every section and writes its reports",
  { timeout: 300_000 },
  async () => {
    const out = mkdtempSync(join(tmpdir(), "socket-lessons-bench-"));
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
    assert.ok(
      results.verdict.every((each) => each.coldMs > 0 && each.warmMs > 0 && each.steps > 0),
    );
    const markdown = readFileSync(join(out, "docs", "benchmarks.md"), "utf8");
    assert.match(markdown, /```mermaid\nxychart-beta\n/);
    assert.match(markdown, /## What the numbers teach/);
    assert.match(markdown, /## Clients that reset\n[\s\S]*\| lesson \| with a reset \|/);
  },
);
