// A class graded as a teacher grades it (`npm run check -- <lesson> --each`): submissions in
// several languages found and built with no command given; each limit reached stopped with its
// sentence while a correct program under the same limits passes; under --sandbox a hostile
// submission reaches nothing outside its copy and its results still come back; and the table is
// the same one submission at a time or side by side, sandboxed or not, even with two runs at once.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { homedir, networkInterfaces } from "node:os";
import { basename, join } from "node:path";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { FEEDBACK_MARK, makeFeedbackFolder, submissionsIn } from "../src/class/table.ts";
import { sandboxUnavailable } from "../src/executable/sandbox.ts";
import { repositoryRoot } from "../src/lib/lessons.ts";
import { runCheck } from "../src/lib/run-check.ts";
import { noPython, solutionFile } from "../src/lib/python.ts";
import { startProcess } from "../src/lib/process.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { C_SERVER, JS_SERVER, pythonWords, serverOne, submit } from "./submissions.ts";

const noSandbox = noPython || sandboxUnavailable();
const noC = spawnSync("cc", ["--version"]).error && "no C compiler here";
const linuxOnly = process.platform !== "linux" && "the limits are watched through Linux's /proc";

interface Table {
  steps: { number: number; name: string }[];
  submissions: {
    submission: string;
    score: number;
    of: number;
    firstFailure: string;
    verdict: string;
    notRun: string;
    steps: Record<string, string>;
  }[];
}

/** `npm run check -- <args>` typed in `folder`, then its table, as --each writes it. */
async function grade(folder: string, args: string[], table = "class") {
  const finished = await runCheck([...args, "--table", table], folder, { timeoutMs: 300_000 });
  const read = () => JSON.parse(readFileSync(join(folder, `${table}.json`), "utf8")) as Table;
  const rows = existsSync(join(folder, `${table}.json`)) ? read().submissions : [];
  const row = (name: string) => {
    const found = rows.find((each) => each.submission === name);
    if (found === undefined) throw new Error(`no row for ${name}: ${finished.stdout.join("\n")}`);
    return found;
  };
  return { ...finished, rows, row };
}

describe("a class in any language, no command given", { skip: noPython || noC }, () => {
  test("each submission's program is found and built; nothing to run, or no build, is one sentence", async () => {
    const folder = temporaryFolder("languages");
    submit(folder, "py", { "server.py": serverOne() });
    submit(folder, "js", { "server.js": JS_SERVER });
    submit(folder, "c", { "server.c": C_SERVER });
    submit(folder, "sh", {
      "run.sh": `exec ${pythonWords} own-name.py "$1"\n`,
      "own-name.py": serverOne(),
    });
    submit(folder, "empty", { "notes.txt": "I ran out of time" });
    submit(folder, "typo", { "server.c": C_SERVER.replace("return 0;", "return 0") });
    const graded = await grade(folder, [
      "1",
      "--each",
      ".",
      "--json",
      "results.json",
      "--gradescope",
      "gradescope.json",
      "--junit",
      "junit.xml",
    ]);
    assert.equal(graded.code, 0, graded.stderr.join("\n"));
    const total = graded.row("py").of;
    assert.ok(total >= 2, `lesson 1's server has ${total} steps that apply`);
    for (const name of ["py", "js", "c", "sh"]) {
      assert.equal(graded.row(name).score, total, `${name}: ${graded.row(name).verdict}`);
    }
    assert.equal(graded.row("empty").score, 0);
    assert.equal(graded.row("empty").of, total, "every row is scored out of the same total");
    assert.match(
      graded.row("empty").notRun,
      /^There is no server\.py, server\.js, .*server\.c, .* nor a run\.sh, in this folder/,
    );
    assert.match(
      graded.row("typo").notRun,
      /^server\.c did not build \(cc .*\):\n(.*\n)*server\.c:\d+:\d+: error: /,
    );
    // What each student reads, and the results files asked for, in a folder of their own.
    const feedback = (name: string, file: string) =>
      readFileSync(join(folder, "class-feedback", name, file), "utf8");
    assert.match(feedback("py", "feedback.txt"), /✔ step 2: /);
    assert.match(feedback("typo", "feedback.txt"), /error: /);
    const scored = JSON.parse(feedback("js", "gradescope.json")) as { score: number };
    assert.equal(scored.score, total);
    assert.match(feedback("c", "junit.xml"), /<testcase /);
    assert.equal((JSON.parse(feedback("empty", "results.json")) as { steps: [] }).steps.length, 0);
    // A spreadsheet on Windows reads UTF-8 only after a byte-order mark.
    assert.ok(
      readFileSync(join(folder, "class.csv"), "utf8").startsWith(
        "\uFEFFsubmission,score,out of,first failing step,",
      ),
    );
  });
});

describe("each limit, in words", { skip: noPython || linuxOnly }, () => {
  test("a program past a limit is stopped with its sentence; a correct one passes under the same limits", async () => {
    const folder = temporaryFolder("limits");
    const thenServe = (before: string) => ({ "server.py": `${before}\n${serverOne()}` });
    submit(folder, "fine", { "server.py": serverOne() });
    submit(folder, "memory", thenServe("chunks = [bytearray(16 * 2**20) for _ in range(64)]"));
    submit(
      folder,
      "processes",
      thenServe(
        "import subprocess\nkids = [subprocess.Popen(['sleep', '30']) for _ in range(40)]\nimport time; time.sleep(5)",
      ),
    );
    submit(folder, "cpu", thenServe("while True: pass"));
    // A program the kernel stops with SIGXFSZ (Python ignores that signal, and so do programs it
    // starts: its write gets "File too large" instead, which its own error says).
    submit(folder, "file", { "run.sh": "exec head -c 4194304 /dev/zero > big\n" });
    const limits = [
      "--memory",
      "200M",
      "--processes",
      "20",
      "--cpu-time",
      "1",
      "--file-size",
      "1M",
    ];
    const graded = await grade(folder, ["1", "--each", ".", ...limits]);
    assert.equal(graded.code, 0, graded.stderr.join("\n"));
    const fine = graded.row("fine");
    assert.equal(
      fine.score,
      fine.of,
      `the correct program, under the same limits: ${fine.verdict}`,
    );
    const sentences = {
      memory: "It used more than 200 MiB of memory, so the check stopped it.",
      processes: "It ran more than 20 processes at once, so the check stopped it.",
      cpu: "It used more than 1 s of CPU time, so the check stopped it",
      file: "It wrote a file larger than 1 MiB, so the check stopped it.",
    };
    for (const [name, sentence] of Object.entries(sentences)) {
      assert.ok(
        graded.row(name).verdict.includes(sentence),
        `${name}: ${graded.row(name).verdict}`,
      );
    }
  });
});

describe("--sandbox", { skip: noSandbox }, () => {
  test("a hostile submission reaches nothing outside its copy, leaves nothing running, and still gets its results", async (t) => {
    const folder = temporaryFolder("hostile");
    const marker = `socket-lessons-escape-${process.pid}`;
    const targets = [
      join(homedir(), marker),
      join(repositoryRoot, marker),
      join(folder, "other", marker),
      `/tmp/${marker}`,
    ];
    t.after(() => {
      for (const target of targets) rmSync(target, { force: true });
    });
    // A server on every interface, which the submission tries through the machine's own address.
    const listener = createServer((socket) => socket.destroy()).listen(0, "0.0.0.0");
    await once(listener, "listening");
    t.after(() => listener.close());
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === "IPv4" && !address.internal)?.address;
    const attempt = [
      "import os, socket, subprocess",
      `for path in ${JSON.stringify(targets)}:`,
      "    try: open(path, 'w').write('x')",
      "    except OSError: pass",
      `try: socket.create_connection((${JSON.stringify(external ?? "192.0.2.1")}, ${(listener.address() as AddressInfo).port}), timeout=2); open(${JSON.stringify(targets[0])}, 'a')`,
      "except OSError: pass",
      `subprocess.Popen(['setsid', 'sleep', '299.${process.pid}'])`,
    ].join("\n");
    submit(folder, "eve", { "server.py": `${attempt}\n${serverOne()}` });
    submit(folder, "other", { "server.py": serverOne() });
    const left = () =>
      spawnSync("pgrep", ["-f", `sleep 299.${process.pid}`], { encoding: "utf8" }).stdout.trim();

    const sandboxed = await grade(folder, ["1", "--each", ".", "--sandbox"]);
    assert.equal(sandboxed.code, 0, sandboxed.stderr.join("\n"));
    const eve = sandboxed.row("eve");
    assert.equal(eve.score, eve.of, `its results came back: ${eve.verdict}`);
    for (const target of targets) assert.ok(!existsSync(target), `it wrote ${target}`);
    assert.equal(left(), "", "what it started with setsid is still running");

    // Without --sandbox the same submission gets out: the checks above can fail.
    await grade(folder, ["1", "--each", ".", "--table", "open"]);
    assert.ok(existsSync(targets[0] ?? ""), "without --sandbox, it wrote in the home folder");
    assert.ok(
      existsSync(targets[2] ?? ""),
      "without --sandbox, it wrote in another student's folder",
    );
  });

  test("the same table one at a time or side by side, sandboxed or not, with two runs at once", async () => {
    const folder = temporaryFolder("side-by-side");
    submit(folder, "seed", {
      "server.py": readFileSync(join(repositoryRoot, "tools/peers/server3.py"), "utf8"),
    });
    submit(folder, "solution", { "server.py": readFileSync(solutionFile("server3.py"), "utf8") });
    submit(folder, "empty", {});
    const [alone, together] = await Promise.all([
      grade(folder, ["3", "--each", ".", "--jobs", "1"], "alone"),
      grade(folder, ["3", "--each", ".", "--jobs", "2", "--sandbox"], "together"),
    ]);
    for (const run of [alone, together]) assert.equal(run.code, 0, run.stderr.join("\n"));
    const summary = (rows: Table["submissions"]) =>
      rows.map(({ submission, score, of, firstFailure, steps }) => ({
        submission,
        score,
        of,
        firstFailure,
        steps,
      }));
    assert.equal(alone.rows.length, 3);
    assert.deepEqual(summary(together.rows), summary(alone.rows));
    assert.equal(alone.row("solution").score, alone.row("solution").of);
  });
});

test(
  "a copy of a submission's folder is what runs: the folder handed in is left as it was",
  { skip: noPython },
  async () => {
    const folder = temporaryFolder("untouched");
    submit(folder, "writer", {
      "server.py": `open('written.txt', 'w').write('x')\n${serverOne()}`,
    });
    const graded = await grade(folder, ["1", "--each", "."]);
    assert.equal(graded.row("writer").score, graded.row("writer").of, graded.row("writer").verdict);
    assert.ok(
      !existsSync(join(folder, "writer", "written.txt")),
      "it wrote in the folder handed in",
    );
  },
);

test("a run listing the class while another makes its feedback folders never takes one for a submission", async (t) => {
  // CI once saw two runs in one folder at once, one listing the class between the other's
  // mkdir of its feedback folder and the write of its mark: a submission named alone-feedback.
  const folder = temporaryFolder("feedback-race");
  const stop = join(folder, ".stop");
  t.after(() => {
    writeFileSync(stop, "");
  });
  const table = pathToFileURL(join(repositoryRoot, "tools/src/class/table.ts")).href;
  // Lists the class as fast as it can until told to stop; its output written at once, since its
  // loop never lets Node write to a pipe later.
  const lister = [
    `import { existsSync, writeSync } from "node:fs";`,
    `const { submissionsIn } = await import(${JSON.stringify(table)});`,
    `const seen = new Set();`,
    `writeSync(1, "listing\\n");`,
    `while (!existsSync(${JSON.stringify(stop)})) {`,
    `  for (const { name } of submissionsIn(${JSON.stringify(folder)})) seen.add(name);`,
    `}`,
    `writeSync(1, JSON.stringify([...seen]) + "\\n");`,
  ].join("\n");
  const listing = startProcess(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "--eval", lister],
    { cwd: repositoryRoot },
  );
  await listing.waitForLine(/^listing$/);
  const made = Array.from({ length: 2000 }, (_, index) => join(folder, `run-${index}-feedback`));
  for (const feedback of made) makeFeedbackFolder(feedback);
  writeFileSync(stop, "");
  assert.equal(await listing.exit(), 0, listing.stderr.join("\n"));
  assert.deepEqual(JSON.parse(listing.stdout.at(-1) ?? "null"), [], "taken for submissions");
  assert.deepEqual(submissionsIn(folder), [], "after the runs");
  assert.ok(
    made.every((feedback) => existsSync(join(feedback, FEEDBACK_MARK))),
    "each marked",
  );
  makeFeedbackFolder(made[0] ?? ""); // Again, on a folder that exists: still one, still marked.
  const names = readdirSync(folder).sort();
  assert.deepEqual(names, [".stop", ...made.map((each) => basename(each))].sort());
});
