// The Gradescope bundle (`npm run autograder`), run as Gradescope runs it: unpacked into a
// folder that stands for /autograder (AUTOGRADER), its run_autograder started for a submission,
// its results.json read. setup.sh itself installs from the network; the README records its run.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { describe, test } from "node:test";
import { sandboxUnavailable } from "../src/executable/sandbox.ts";
import { nodeRunsTypeScript, repositoryRoot, studentEnvironment } from "../src/lib/lessons.ts";
import { runProcess } from "../src/lib/process.ts";
import { noPython, python, solutionFile } from "../src/lib/python.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { C_SERVER, submit } from "./submissions.ts";

const oldNode =
  !nodeRunsTypeScript && "the bundle's checker needs Node 22.18 or later, which setup.sh installs";
const linuxOnly = process.platform !== "linux" && "Gradescope runs Linux";
const notRoot = process.getuid?.() !== 0 && "Gradescope runs the autograder as root";
const noC = spawnSync("cc", ["--version"]).error && "no C compiler here";

interface Results {
  score: number;
  execution_time: number;
  output: string;
  tests: { name: string; score: number; max_score: number; status: string; output: string }[];
}

/** `npm run autograder -- <args>` in a new folder, unpacked as Gradescope does: its /autograder. */
async function unpacked(args: string[]) {
  const folder = temporaryFolder("autograder-test");
  const made = await runProcess(
    process.execPath,
    ["--import", "tsx", join(repositoryRoot, "tools/src/commands/autograder.ts"), ...args],
    { cwd: repositoryRoot, env: { ...studentEnvironment(), INIT_CWD: folder } },
  );
  assert.equal(made.code, 0, made.stderr.join("\n"));
  const root = join(folder, "autograder");
  mkdirSync(join(root, "source"), { recursive: true });
  // Python's zipfile, not the library that wrote it, applying each file's Unix mode.
  const unzip = spawnSync(
    (python ?? ["python3"])[0] ?? "python3",
    [
      "-c",
      "import os, sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist():\n  zipfile.ZipFile(sys.argv[1]).extract(i, sys.argv[2]); os.chmod(os.path.join(sys.argv[2], i.filename), i.external_attr >> 16 & 0o777)",
      join(folder, "autograder.zip"),
      join(root, "source"),
    ],
    { encoding: "utf8" },
  );
  assert.equal(unzip.status, 0, unzip.stderr);
  copyFileSync(join(root, "source", "run_autograder"), join(root, "run_autograder"));
  return root;
}

/** Gradescope's run for one submission (`files`), then the results.json it wrote. */
async function gradescopeRun(root: string, files: Record<string, string>, sandbox = "on") {
  rmSync(join(root, "submission"), { recursive: true, force: true });
  submit(root, "submission", files);
  const ran = await runProcess("bash", [join(root, "run_autograder")], {
    cwd: root,
    env: {
      ...studentEnvironment(),
      AUTOGRADER: root,
      SOCKET_LESSONS_SANDBOX: sandbox,
      // The Node setup.sh would install (22.18 or later), first on PATH.
      PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    },
    timeoutMs: 200_000,
  });
  const results = JSON.parse(
    readFileSync(join(root, "results", "results.json"), "utf8"),
  ) as Results;
  return { ...ran, results };
}

describe("the Gradescope bundle", { skip: oldNode || linuxOnly || noPython }, () => {
  test("lesson 3's server with python3: a correct submission scores every step, a wrong one gets its verdicts", async () => {
    const root = await unpacked(["3", "--server", "python3 server.py {port}"]);
    const setup = readFileSync(join(root, "source", "setup.sh"), "utf8");
    assert.match(setup, /node_version=\d+\.\d+\.\d+\n/);
    assert.match(setup, /node_sha512=[0-9a-f]{128}\n/);
    assert.match(setup, /packages=".* python3"/);
    for (const script of ["setup.sh", "run_autograder"]) {
      assert.ok(
        spawnSync("test", ["-x", join(root, "source", script)]).status === 0,
        `${script} is executable`,
      );
    }

    const solution = readFileSync(solutionFile("server3.py"), "utf8");
    const right = await gradescopeRun(root, { "server.py": solution });
    assert.equal(right.results.tests.length, 12, right.stdout.join("\n"));
    assert.equal(right.results.score, 12, right.results.output);
    assert.ok(
      right.results.tests.every((each) => each.status === "passed" && each.max_score === 1),
    );
    assert.equal(typeof right.results.execution_time, "number");
    assert.match(
      right.results.output,
      /^Lesson 3's server, run with `python3 server\.py \{port\}`: 12 of 12 steps passed\./,
    );
    assert.match(
      right.results.output,
      /Steps that do not apply to a program of your own:\nStep 2, /,
    );

    // Replies in capitals: every step that reads a reply fails, with its verdict.
    const shouting = solution.replace(/\.encode\(/g, ".upper().encode(");
    assert.notEqual(shouting, solution);
    const wrong = await gradescopeRun(root, { "server.py": shouting });
    assert.equal(wrong.results.tests.length, 12);
    assert.ok(wrong.results.score < 12, wrong.results.output);
    const failed = wrong.results.tests.find((each) => each.status === "failed");
    assert.match(failed?.output ?? "", /expected/, "a failed step's output is its verdict");
  });

  test("with nothing to run, the score is 0 and the output says why; if the grader itself stops, a result still comes", async () => {
    // No command given: each submission's files say how it runs, and these say nothing.
    const root = await unpacked(["1"]);
    const empty = await gradescopeRun(root, { "notes.txt": "I ran out of time" });
    assert.equal(empty.results.score, 0);
    assert.match(
      empty.results.output,
      /^Lesson 1's server: no step could be run\.\n\nThere is no server\.py, /,
    );
    rmSync(join(root, "source", "grader", "settings.json"));
    const broken = await gradescopeRun(root, { "server.py": "" });
    assert.equal(broken.results.score, 0);
    assert.match(broken.results.output, /^The autograder stopped \(exit 1\) before it could grade/);
  });
});

describe(
  "the Gradescope bundle runs each program as nobody, sandbox or not",
  { skip: oldNode || linuxOnly || noPython || notRoot || noC },
  () => {
    test("a C server is built and passes as nobody; a hostile one writes nothing of the autograder's", async () => {
      const root = await unpacked(["1"]);
      const forged = [join(root, "results", "forged"), join(root, "source", "grader", "forged")];
      const hostile = [
        "echo I am $(id -u) >&2",
        ...forged.map((path) => `echo x > '${path}'`),
        "exit 3",
      ].join("\n");
      const modes = sandboxUnavailable() === undefined ? ["on", "off"] : ["off"];
      for (const mode of modes) {
        const c = await gradescopeRun(root, { "server.c": C_SERVER }, mode);
        assert.ok(c.results.tests.length >= 2, c.stdout.join("\n"));
        assert.equal(c.results.score, c.results.tests.length, `${mode}: ${c.results.output}`);
        assert.match(c.results.output, mode === "on" ? /in a sandbox/ : /without a sandbox/);

        const bad = await gradescopeRun(root, { "run.sh": hostile }, mode);
        assert.equal(bad.results.score, 0);
        assert.match(bad.results.tests[0]?.output ?? "", /I am 65534/, `${mode}: it ran as nobody`);
        for (const path of forged) assert.ok(!existsSync(path), `${mode}: it wrote ${path}`);
      }
    });
  },
);
