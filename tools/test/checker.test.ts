// `npm run check` against programs in another language: the seed's own Python programs get the
// verdicts the lesson READMEs quote; the Python solutions pass every step that applies; Python
// mistakes fail at the step that names them; the results files hold what course systems read;
// a class runs in one table; and bad commands get one sentence each, with nothing left running.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pythonEdges, type PythonEdge } from "../exercises/python-edges.ts";
import { pythonMistakes, type PythonMistake } from "../exercises/python-mistakes.ts";
import { repositoryRoot } from "../src/lib/lessons.ts";
import { runCheck } from "../src/lib/run-check.ts";
import { edgeRounds, provoke } from "../src/lib/rounds.ts";
import {
  noPython,
  python,
  pythonCommand,
  pythonPrograms,
  solutionFile,
} from "../src/lib/python.ts";
import { assertPlainVerdict, firstFailure } from "../src/lib/verdicts.ts";
import type { StepResult } from "../shared/check/reporter.js";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { FIRST_FAILURE_ONLY } from "../shared/check/under-test.ts";

const peers = join(repositoryRoot, "tools", "peers");

/**
 * `npm run check -- <lesson> ...args`, with --json read back; typed in a folder of its own, where
 * the failed steps' diagrams go.
 */
async function check(
  lesson: number,
  args: string[],
  folder = temporaryFolder("typed-in"),
  env: NodeJS.ProcessEnv = {},
) {
  const json = join(temporaryFolder("checker"), "results.json");
  const finished = await runCheck([String(lesson), ...args, "--json", json], folder, { env });
  const { steps } = JSON.parse(readFileSync(json, "utf8")) as { steps: StepResult[] };
  const named = (status: StepResult["status"]) =>
    steps.filter((step) => step.status === status).map((step) => step.name);
  return { ...finished, steps, passed: named("pass"), failed: named("fail") };
}

/** Each of the seed's programs, and what its verdict must say: the steps it passes and fails. */
const seed = [
  {
    lesson: 1,
    role: "server",
    file: "server1.py",
    passes: [/accepts one connection/],
    fails: [/IPv6 loopback/],
  },
  { lesson: 1, role: "client", file: "client1.py", passes: [/the client connects/], fails: [] },
  {
    lesson: 2,
    role: "server",
    file: "server2.py",
    passes: [/exactly the bytes Hello Client/],
    fails: [/IPv6 loopback/],
  },
  {
    lesson: 2,
    role: "client",
    file: "client2.py",
    passes: [/the client prints Hello Client/],
    fails: [/two pieces, 50 ms apart/, /character split across two pieces/, /control characters/],
  },
  {
    lesson: 3,
    role: "server",
    file: "server3.py",
    passes: [],
    fails: [
      /both loopback addresses/, // It listens on 127.0.0.1 only.
      /a newline, byte for byte/, // No newline after the reply, and the connection stays open.
      /a newline, LF or CRLF/,
      /the client half-closing/,
      /a short pause/,
      /split across writes/, // One recv() taken as the whole request.
      /two clients sending in pieces/,
      /pipelined requests/,
      /not UTF-8/, // decode() raises, and the server dies.
      /1,024 bytes is a request/,
      /1,025 bytes with no newline/,
      /silent client is held open/, // One client at a time.
    ],
  },
  {
    lesson: 3,
    role: "client",
    file: "client3.py",
    passes: [],
    fails: [/by argument/, /then half-closes/, /piped input/, /the CourseName: prompt/],
  },
  {
    lesson: 4,
    role: "server",
    file: "udp_receiver.py",
    passes: [/the birthday message/],
    fails: [/65,507-byte/, /junk bytes/],
  },
  {
    lesson: 4,
    role: "client",
    file: "udp_sender.py",
    passes: [/the birthday message/, /no receiver/],
    fails: [],
  },
] as const;

/** The features each solution has beside the behaviour (our log lines, a clean Ctrl+C). */
const solutionFeatures: Record<number, { server: string; client: string }> = {
  1: { server: "log,ctrl-c", client: "log" },
  2: { server: "log,ctrl-c", client: "" },
  3: { server: "", client: "" },
  4: { server: "log,ctrl-c", client: "log" },
};
const solutions = Object.entries(pythonPrograms).flatMap(([lesson, files]) =>
  (["server", "client"] as const).map((role) => ({
    lesson: Number(lesson),
    role,
    file: files[role],
    has: solutionFeatures[Number(lesson)]?.[role] ?? "",
  })),
);

describe("npm run check: programs in another language", { skip: noPython, concurrency: 2 }, () => {
  for (const program of seed) {
    test(`the seed's ${program.file}, judged as lesson ${program.lesson}'s ${program.role}`, async () => {
      const result = await check(program.lesson, [
        `--${program.role}`,
        pythonCommand(join(peers, program.file)),
      ]);
      const verdict = result.stdout.join("\n");
      for (const name of program.passes) {
        assert.ok(
          result.passed.some((step) => name.test(step)),
          `passes ${String(name)}:\n${verdict}`,
        );
      }
      assert.equal(
        result.failed.length,
        program.fails.length,
        `fails only as expected:\n${verdict}`,
      );
      for (const name of program.fails) {
        assert.ok(
          result.failed.some((step) => name.test(step)),
          `fails ${String(name)}:\n${verdict}`,
        );
      }
      assert.equal(result.code, program.fails.length > 0 ? 1 : 0, "the check's exit code");
      assertPlainVerdict(verdict);
    });
  }

  for (const program of solutions) {
    test(`the Python solution ${program.file} passes lesson ${program.lesson}'s steps for a ${program.role}`, async () => {
      const file = solutionFile(program.file);
      const has = program.has === "" ? [] : ["--has", program.has];
      const result = await check(program.lesson, [
        `--${program.role}`,
        pythonCommand(file),
        ...has,
      ]);
      assert.deepEqual(result.failed, [], result.stdout.join("\n"));
      assert.ok(result.passed.length >= 1, "some step ran");
      assert.equal(result.code, 0);
    });
  }

  for (const edge of pythonEdges) {
    test(`a Python ${edge.role} at an edge, ${edge.name}, passes every step that applies, ${edgeRounds} time(s)`, async () => {
      const file = patchedSolution(edge);
      await provoke(edgeRounds, 2, async () => {
        const result = await check(edge.lesson, [`--${edge.role}`, pythonCommand(file)]);
        assert.deepEqual(result.failed, [], result.stdout.join("\n"));
        assert.equal(result.code, 0);
      });
    });
  }

  for (const mistake of pythonMistakes) {
    test(`a Python mistake, ${mistake.name}, fails at its step`, async () => {
      const file = patchedSolution(mistake);
      // The first failure's verdict is what is judged: the steps after it need not run.
      const result = await check(
        mistake.lesson,
        [`--${mistake.role}`, pythonCommand(file)],
        undefined,
        { [FIRST_FAILURE_ONLY]: "1" },
      );
      const verdict = result.stdout.join("\n");
      assert.match(firstFailure(result.stdout), mistake.failsAt, verdict);
      assert.match(verdict, mistake.says);
      assertPlainVerdict(verdict);
    });
  }
});

/** A solution with one change made (and its `and`), in a folder of its own: the file's path. */
function patchedSolution(change: PythonEdge & Pick<PythonMistake, "and">): string {
  let source = readFileSync(solutionFile(change.file), "utf8");
  for (const { from, to } of [change, ...(change.and ? [change.and] : [])]) {
    assert.ok(source.includes(from), `${change.file} no longer contains: ${from}`);
    source = source.replace(from, to);
  }
  const file = join(temporaryFolder("python-change"), change.file);
  writeFileSync(file, source);
  return file;
}

describe("npm run check: what course systems read", { skip: noPython, concurrency: 2 }, () => {
  test("--json, --gradescope and --junit describe the same steps", async () => {
    const folder = temporaryFolder("results");
    const server = pythonCommand(join(peers, "server2.py"));
    const result = await check(
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
    // within the 4 s limit however fast they fail; run.sh also gives it a word of its own, to
    // look for in what is left running.
    const marker = `slow-${process.pid}`;
    copyFileSync(join(peers, "server3.py"), join(folder, "submissions", "slow", "server.py"));
    writeFileSync(
      join(folder, "submissions", "slow", "run.sh"),
      `sleep 2\nexec ${(python ?? ["python3"]).join(" ")} server.py "$1" ${marker}\n`,
    );
    // One that finishes in time, so that the table has a column for every step.
    mkdirSync(join(folder, "submissions", "quick"), { recursive: true });
    copyFileSync(solutionFile("server3.py"), join(folder, "submissions", "quick", "server.py"));
    const finished = await runCheck(["3", "--each", "submissions", "--time-limit", "4"], folder, {
      timeoutMs: 60_000,
    });
    assert.equal(finished.code, 0, finished.stderr.join("\n"));
    assert.match(finished.stdout.join("\n"), /^slow: .*stopped at the time limit of 4 s/m);
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
    assert.ok(row.seconds < 7, `stopped after ${row.seconds} s`);
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
      const result = await check(lesson, ["--server", exitsAtOnce, "--client", exitsAtOnce]);
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
    const result = await check(1, ["--server", server]);
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
      const result = await check(
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
