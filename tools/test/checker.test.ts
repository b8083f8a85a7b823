// `npm run check` against programs in another language: the seed's own Python programs get the
// verdicts the lesson READMEs quote; the Python solutions pass every step that applies; and
// Python mistakes fail at the step that names them. What the results files hold, a class in one
// table, and bad commands are checker-results.test.ts's: the two files run side by side.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pythonEdges, type PythonEdge } from "../exercises/python-edges.ts";
import { pythonMistakes, type PythonMistake } from "../exercises/python-mistakes.ts";
import { checkLesson } from "../src/lib/run-check.ts";
import { edgeRounds, provoke } from "../src/lib/rounds.ts";
import { noPython, peers, pythonCommand, pythonPrograms, solutionFile } from "../src/lib/python.ts";
import { assertPlainVerdict, firstFailure } from "../src/lib/verdicts.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { FIRST_FAILURE_ONLY } from "../shared/check/under-test.ts";

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
      const result = await checkLesson(program.lesson, [
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
      const result = await checkLesson(program.lesson, [
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
        const result = await checkLesson(edge.lesson, [`--${edge.role}`, pythonCommand(file)]);
        assert.deepEqual(result.failed, [], result.stdout.join("\n"));
        assert.equal(result.code, 0);
      });
    });
  }

  for (const mistake of pythonMistakes) {
    test(`a Python mistake, ${mistake.name}, fails at its step`, async () => {
      const file = patchedSolution(mistake);
      // The first failure's verdict is what is judged: the steps after it need not run.
      const result = await checkLesson(
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
