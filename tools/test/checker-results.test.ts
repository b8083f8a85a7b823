// `npm run check` and what comes out of it: the results files course systems read (--json,
// --gradescope, --junit), a class in one table (--each, --time-limit), hints for a program in any
// language, and bad commands, each one sentence with nothing left running.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pythonMistakes } from "../exercises/python-mistakes.ts";
import { checkLesson, runCheck } from "../src/lib/run-check.ts";
import { noPython, peers, python, pythonCommand, solutionFile } from "../src/lib/python.ts";
import { assertPlainVerdict } from "../src/lib/verdicts.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";

describe("npm run check: what course systems read", { skip: noPython, concurrency: 2 }, () => {
  test("--json, --gradescope and --junit describe the same steps", async () => {
    const folder = temporaryFolder("results");
    const server = pythonCommand(join(peers, "server2.py"));
    const result = await checkLesson(
      2,
      ["--server", server, "--gradescope", "gradescope.json", "--junit", "junit.xml"],
      folder,
    );
    // --json: every step, its number in order, one of three statuses, and words for each failure.
    assert.deepEqual(
      result.steps.map((step) => step.number),
      result.steps.map((_, index) => index + 1),
    );
    for (const step of result.steps) {
      assert.deepEqual(Object.keys(step), ["number", "name", "status", "verdict"]);
      assert.ok(["pass", "fail", "not applicable"].includes(step.status), step.status);
      if (step.status !== "pass")
        assert.notEqual(step.verdict, "", `step ${step.number}'s verdict`);
    }
    // Gradescope's results.json: a test per step that applies, scored; the rest in its output.
    const gradescope = JSON.parse(readFileSync(join(folder, "gradescope.json"), "utf8")) as {
      score: number;
      output: string;
      tests: { name: string; score: number; max_score: number; status: string; output: string }[];
    };
    const applied = result.steps.filter((step) => step.status !== "not applicable");
    assert.equal(gradescope.tests.length, applied.length);
    for (const [index, scored] of gradescope.tests.entries()) {
      const step = applied[index];
      assert.equal(scored.name, `Step ${step?.number}: ${step?.name}`);
      assert.equal(scored.max_score, 1);
      assert.equal(scored.score, step?.status === "pass" ? 1 : 0);
      assert.equal(scored.status, step?.status === "pass" ? "passed" : "failed");
      assert.equal(scored.output, step?.verdict);
    }
    assert.equal(gradescope.score, result.passed.length);
    assert.match(gradescope.output, /not applicable/);
    // JUnit: one test case per step, the failed one marked.
    const junit = readFileSync(join(folder, "junit.xml"), "utf8");
    assert.equal(junit.match(/<testcase /g)?.length, result.steps.length);
    assert.equal(junit.match(/<failure /g)?.length, result.failed.length);
  });

  test("--each: a class of five submissions in one table, a row each", async () => {
    const folder = temporaryFolder("class");
    const submissions = join(folder, "submissions");
    const place = (name: string, source: string, patch?: { from: string; to: string }) => {
      mkdirSync(join(submissions, name), { recursive: true });
      const text = readFileSync(source, "utf8");
      writeFileSync(
        join(submissions, name, "server.py"),
        patch ? text.replace(patch.from, patch.to) : text,
      );
    };
    place("ada-the-seed", join(peers, "server3.py"));
    place("bo-the-solution", solutionFile("server3.py"));
    // Three of lesson 3's mistakes, beside the seed and the solution: five submissions.
    const threeMistakes = pythonMistakes.filter((each) => each.lesson === 3).slice(0, 3);
    for (const [index, mistake] of threeMistakes.entries()) {
      place(`${["cy", "di", "ed"][index] ?? index}-a-mistake`, solutionFile(mistake.file), mistake);
    }
    const finished = await runCheck(
      ["3", "--each", "submissions/*", "--server", pythonCommand("server.py")].concat([
        "--table",
        "class",
        "--time-limit",
        "60",
      ]),
      folder,
      { timeoutMs: 300_000 },
    );
    assert.equal(finished.code, 0, finished.stderr.join("\n"));
    const csv = readFileSync(join(folder, "class.csv"), "utf8").trimEnd().split("\r\n");
    assert.equal(csv.length, 6, "a header and five rows");
    assert.match(csv[0] ?? "", /^\uFEFFsubmission,score,out of,first failing step,its verdict,/);
    const table = JSON.parse(readFileSync(join(folder, "class.json"), "utf8")) as {
      submissions: {
        submission: string;
        score: number;
        of: number;
        steps: Record<string, string>;
        firstFailure: string;
      }[];
    };
    const row = (name: string) =>
      table.submissions.find((each) => each.submission.startsWith(name));
    assert.equal(row("bo")?.score, row("bo")?.of, "the solution passes every step that applies");
    assert.equal(row("bo")?.firstFailure, "");
    assert.equal(row("ada")?.score, 0, "the seed's server passes none");
    for (const [index, mistake] of threeMistakes.entries()) {
      const name = ["cy", "di", "ed"][index] ?? "";
      assert.match(row(name)?.firstFailure ?? "", mistake.failsAt, `${name}: ${mistake.name}`);
    }
    assert.equal(row("bo")?.steps["2"], undefined, "a step that applies to no one has no column");
  });
});

test(
  "--each --time-limit: a submission that takes too long is stopped, with all it started",
  { skip: noPython },
  async () => {
    const folder = temporaryFolder("slow-class");
    mkdirSync(join(folder, "submissions", "slow"), { recursive: true });
    // The seed's server, started 2 s late by its run.sh, so that its steps cannot all end
    // within the 8 s limit however fast they fail; run.sh also gives it a word of its own, to
    // look for in what is left running.
    const marker = `slow-${process.pid}`;
    copyFileSync(join(peers, "server3.py"), join(folder, "submissions", "slow", "server.py"));
    writeFileSync(
      join(folder, "submissions", "slow", "run.sh"),
      `sleep 2\nexec ${(python ?? ["python3"]).join(" ")} server.py "$1" ${marker}\n`,
    );
    // One that finishes in time, so that the table has a column for every step. It takes about
    // 3 s; the limit leaves room for a loaded machine (at 4 s, beside three turbo tasks, it once
    // ended no step at all).
    mkdirSync(join(folder, "submissions", "quick"), { recursive: true });
    copyFileSync(solutionFile("server3.py"), join(folder, "submissions", "quick", "server.py"));
    const finished = await runCheck(["3", "--each", "submissions", "--time-limit", "8"], folder, {
      timeoutMs: 60_000,
    });
    assert.equal(finished.code, 0, finished.stderr.join("\n"));
    assert.match(finished.stdout.join("\n"), /^slow: .*stopped at the time limit of 8 s/m);
    const table = JSON.parse(readFileSync(join(folder, "check-results.json"), "utf8")) as {
      submissions: {
        submission: string;
        timedOut: boolean;
        seconds: number;
        steps: Record<string, string>;
      }[];
    };
    const row = table.submissions.find((each) => each.submission === "slow");
    if (row === undefined) throw new Error("the table has no row for the slow submission");
    assert.equal(row.timedOut, true);
    // SIGTERM at the limit, SIGKILL 2 s later if the check has not ended by then.
    assert.ok(row.seconds < 11, `stopped after ${row.seconds} s`);
    assert.ok(
      Object.values(row.steps).includes("not run: time limit"),
      `the slow submission's steps: ${JSON.stringify(row.steps)}\n${finished.stdout.join("\n")}`,
    );
    if (process.platform !== "win32") {
      const left = spawnSync("pgrep", ["-f", marker], {
        encoding: "utf8",
      }).stdout.trim();
      assert.equal(left, "", "the submission's programs, still running after its time limit");
    }
  },
);

/**
 * Node's words, which a program in another language never meets: its events, options, helpers
 * and our files. A hint for a given program names what every language's sockets have instead.
 */
const NODE_WORDS =
  /'(data|connect|connection|message|end|close)'|allowHalfOpen|createServer|firstConnection|escapeText|lookup\(|Buffer|\bcommon\/|\b(server|client|flags|framing|datagrams)\.ts\b|\bend\(\)/;

describe("npm run check: hints for a program in any language", { concurrency: 2 }, () => {
  // A program that exits at once fails every step that applies to it, each with its hint.
  const exitsAtOnce = `"${process.execPath}" -e 0 {port}`;
  for (const lesson of [1, 2, 3, 4]) {
    test(`lesson ${lesson}'s steps speak no Node to a program in another language`, async () => {
      const result = await checkLesson(lesson, ["--server", exitsAtOnce, "--client", exitsAtOnce]);
      const failed = result.steps.filter((step) => step.status === "fail");
      assert.ok(failed.length > 0, "some step applies and fails");
      const nodeWords = failed
        .map((step) => `step ${step.number}: ${/Hint: .*/.exec(step.verdict)?.[0] ?? ""}`)
        .filter((hint) => NODE_WORDS.test(hint));
      assert.deepEqual(nodeWords, [], "hints in Node's words");
    });
  }
});

describe("npm run check: bad commands", { concurrency: 2 }, () => {
  /** The first failure's words, for a command given as lesson 1's server. */
  async function verdictFor(server: string) {
    const result = await checkLesson(1, ["--server", server]);
    assert.equal(result.code, 1);
    const verdict = result.steps.find((step) => step.status === "fail")?.verdict ?? "";
    assertPlainVerdict(verdict);
    return verdict;
  }

  test("a command that does not exist", async () => {
    assert.match(
      await verdictFor("no-such-program {port}"),
      /^The server's command "no-such-program" was not found: check its spelling/,
    );
  });

  test("a program that exits at once", { skip: noPython }, async () => {
    assert.match(
      await verdictFor(
        `${pythonCommand("-c")} pass`.replace('"-c" {port} pass', '-c "import sys; sys.exit(3)"'),
      ),
      /exited \(3\) before it accepted a connection on 127\.0\.0\.1:\d+\./,
    );
  });

  test("a program that never listens, or listens on another port", { skip: noPython }, async () => {
    const sleeper = `${(python ?? []).join(" ")} -c "import time; time.sleep(60)"`;
    const elsewhere = pythonCommand(solutionFile("server1.py")).replace("{port}", "0");
    // Both at once: each verdict waits out the 5 s a server has to accept.
    const [never, wrongPort] = await Promise.all([verdictFor(sleeper), verdictFor(elsewhere)]);
    assert.match(
      never,
      /did not accept a connection on 127\.0\.0\.1:\d+ within 5 s: it must listen on the port given as \{port\}/,
    );
    assert.match(wrongPort, /did not accept a connection on 127\.0\.0\.1:\d+ within 5 s/);
  });

  test("a program that floods its output is stopped", { skip: noPython }, async () => {
    const flood = `${(python ?? []).join(" ")} -c "while True: print('x' * 1000)"`;
    assert.match(await verdictFor(flood), /It printed more than 1 MB, so the check stopped it\./);
  });

  test(
    "a port taken between its choice and the bind: the server is started again on another",
    { skip: noPython },
    async () => {
      // Fails its first start as a taken port does, then runs the solution. Its output ends
      // 0.3 s before it exits, as a busy machine can report the two: judged by its ready line
      // (--has log), the step must still see the taken port (a cold CI run once did not).
      const folder = temporaryFolder("port-taken");
      const once = join(folder, "started-once");
      writeFileSync(
        join(folder, "server.py"),
        [
          "import os, runpy, sys, time",
          `if not os.path.exists(${JSON.stringify(once)}):`,
          `    open(${JSON.stringify(once)}, "w").close()`,
          '    print("OSError: [Errno 98] Address already in use", file=sys.stderr, flush=True)',
          "    os.close(1)",
          "    os.close(2)",
          "    time.sleep(0.3)",
          "    os._exit(1)",
          `runpy.run_path(${JSON.stringify(solutionFile("server2.py"))}, run_name="__main__")`,
        ].join("\n"),
      );
      const result = await checkLesson(
        2,
        ["--server", pythonCommand("server.py"), "--has", "log,ctrl-c"],
        folder,
      );
      assert.deepEqual(result.failed, [], result.stdout.join("\n"));
      assert.ok(existsSync(once), "the first start happened");
    },
  );

  test(
    "what a program starts is stopped with it",
    { skip: (noPython || process.platform === "win32") && "a POSIX shell and Python are needed" },
    async () => {
      const marker = "299.123";
      const leaves = `sh -c "sleep ${marker} & exec ${(python ?? []).join(" ")} '${solutionFile("server1.py")}' {port}"`;
      assert.match(
        await verdictFor(leaves),
        /exited \(0\), but left running a process it had started, which held its output open; the check stopped it\./,
      );
      const left = spawnSync("pgrep", ["-f", `sleep ${marker}`], {
        encoding: "utf8",
      }).stdout.trim();
      assert.equal(left, "", "processes the server started, still running after the check");
    },
  );
});
