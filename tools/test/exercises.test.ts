// Both ends of every exercise: the starter installs nothing new, typechecks, and fails at its
// first step with a readable sentence and a hint; the lesson's own code put into it passes. Each
// plausible mistake failing at the step that names it is mistakes.test.ts's.
import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fadedAtLevel2, holes } from "../exercises/holes.ts";
import { anotherShape, mistakes } from "../exercises/mistakes.ts";
import { exerciseFiles, filesToWrite, type Level, unitIn } from "../src/commands/exercise.ts";
import {
  askHint,
  exerciseFolder,
  patch,
  removeFolder,
  runSteps,
  solvedFolder,
} from "../src/lib/exercise-folder.ts";
import { lessonNumbered, lessons } from "../src/lib/lessons.ts";
import { runProcess } from "../src/lib/process.ts";
import { assertPlainVerdict, firstFailure } from "../src/lib/verdicts.ts";
import type { TypeCheckError } from "../shared/check/types.ts";

const levels: Level[] = [1, 2];

/** Every file in `folder` but `except` and node_modules, by its path there, with its text. */
function filesIn(folder: string, except: string[]): Map<string, string> {
  const paths = readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((path) => !path.startsWith("node_modules") && !except.includes(path))
    .filter((path) => statSync(join(folder, path)).isFile())
    .sort();
  return new Map(paths.map((path) => [path, readFileSync(join(folder, path), "utf8")]));
}

/** The types step's own check (check/types.ts typeErrors()), run in `folder` as the step runs it. */
async function typeErrorsIn(folder: string): Promise<TypeCheckError[]> {
  const script =
    "const { typeErrors } = await import('./check/types.ts');\n" +
    "console.log(JSON.stringify(await typeErrors()));";
  const ran = await runProcess(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "--eval", script],
    { cwd: folder, timeoutMs: 60_000 },
  );
  assert.equal(ran.code, 0, ran.stderr.join("\n"));
  return JSON.parse(ran.stdout.join("")) as TypeCheckError[];
}

describe("exercises", { concurrency: 2 }, () => {
  for (const [lesson, level] of lessons.flatMap((lesson) =>
    levels.map((level) => [lesson, level] as const),
  )) {
    const at = `lesson ${lesson.number}, level ${level}`;
    test(`${at}: the starter typechecks and fails at step 1 with the hole and a hint`, async (t) => {
      const folder = exerciseFolder(lesson, { level });
      t.after(() => {
        removeFolder(folder);
      });
      // The README works where the exercise is: nothing points into the repository.
      const readme = readFileSync(join(folder, "README.md"), "utf8");
      assert.doesNotMatch(readme, /\]\(\.\.\/|npm run lesson:|repository/, "the exercise's README");
      // A TODO says what to do, never the call; the API and the lines are npm run hint's.
      for (const file of filesToWrite(lesson, level)) {
        const todos = readFileSync(join(folder, file), "utf8")
          .split("\n")
          .filter((line) => /^\s*\/\/( TODO:| {3})/.test(line));
        assert.doesNotMatch(todos.join("\n"), /\w\(|Node API|https:/, `the TODOs in ${file}`);
      }
      // Level 1 as the student first meets it, every step; level 2 fails where level 1 does
      // (server.ts and client.ts have the same holes), so only to its first failure.
      const result = await runSteps(folder, "test", { firstFailureOnly: level === 2 });
      const output = result.stdout.join("\n");
      assert.equal(result.code, 1, output);
      // Its own step, the last: the starter's holes typecheck (todo() stands for any value).
      assert.match(output, /^✔ step \d+: the types: TypeScript finds no error/m);
      assert.match(firstFailure(result.stdout), /^The first step to fix is step 1: /);
      assert.match(output, /It said: (server|client)\.ts line \d+ is still to be written: /);
      assert.match(output, /^ {2}Hint: /m);
      assertPlainVerdict(output);
      t.diagnostic(
        output
          .split("\n")
          .filter((line) => line.startsWith("  "))
          .join(" / "),
      );
    });
  }

  for (const lesson of lessons) {
    test(`lesson ${lesson.number}: the lesson's own code, put into the starter, passes, at either level`, async (t) => {
      const [one, two] = levels.map((level) => exerciseFolder(lesson, { solved: true, level }));
      t.after(() => {
        for (const folder of [one, two]) if (folder !== undefined) removeFolder(folder);
      });
      if (one === undefined || two === undefined) throw new Error("two levels");
      // Solved, level 2 is level 1, file for file, but for its words: what passes at level 1
      // passes at level 2, so one run of the steps judges both.
      const words = ["README.md", join("check", "hints.json")];
      const [first, second] = [one, two].map((folder) => filesIn(folder, words));
      assert.deepEqual(second, first, "level 2's files, solved, against level 1's");
      const result = await runSteps(one);
      assert.equal(result.code, 0, result.stdout.join("\n"));
      assert.match(result.stdout.join("\n"), /ℹ fail 0/);
    });
  }

  // Level 2 with server.ts and client.ts written: every step that runs into a faded unit
  // says where it is, whatever the step compared.
  for (const lesson of lessons) {
    const elsewhere = (fadedAtLevel2[lesson.number] ?? []).filter(
      (unit) => !exerciseFiles.includes(unit.file),
    );
    const [first] = elsewhere;
    if (first === undefined) continue;
    test(`lesson ${lesson.number}, level 2: with ${exerciseFiles.join(" and ")} written, the verdict names ${first.unit} in ${first.file}`, async (t) => {
      const folder = exerciseFolder(lesson, { level: 2 });
      t.after(() => {
        removeFolder(folder);
      });
      for (const file of exerciseFiles) {
        copyFileSync(join(lesson.folder, file), join(folder, file));
      }
      // What the verdict names, not the types: without the type check, a third of a run's CPU.
      const result = await runSteps(folder, "test", { types: false });
      const output = result.stdout.join("\n");
      assert.equal(result.code, 1, output);
      const verdict = output.slice(output.indexOf("The first step to fix"));
      const where = `${first.file.replaceAll(".", "\\.")} line \\d+`;
      assert.match(verdict, new RegExp(`${where} is still to be written`));
      assertPlainVerdict(verdict);
      // npm run hint helps with that hole, one rung more each time, up to the lesson's lines.
      for (const rung of [1, 2, 3]) {
        const hint = (await askHint(folder)).stdout.join("\n");
        assert.match(hint, new RegExp(`^${where}: `), hint);
        assert.match(hint, new RegExp(`Hint ${rung} of 3: `), hint);
        assert.doesNotMatch(hint, new RegExp(`Hint ${rung + 1} of 3`), hint);
      }
      // The teacher's report records how far up the ladder the student went.
      const report = await runSteps(folder, "report", { types: false });
      assert.notEqual(report.code, 0);
      const xml = readFileSync(join(folder, "report.xml"), "utf8");
      assert.match(
        xml,
        new RegExp(`Hints seen \\(npm run hint\\), for the teacher: ${where}: 3 of 3`),
      );
    });
  }

  for (const lesson of Object.keys(anotherShape).map(Number)) {
    test(`lesson ${lesson}: a correct program of another shape (node:net, its own buffer) passes`, async (t) => {
      const folder = solvedFolder(lesson, "another shape");
      t.after(() => {
        removeFolder(folder);
      });
      const result = await runSteps(folder); // Its last step is the type check.
      assert.equal(result.code, 0, result.stdout.join("\n"));
      assert.match(result.stdout.join("\n"), /ℹ fail 0/);
    });
  }

  test("no exercise folder holds what another lesson's level 2 asks the student to write", (t) => {
    for (const lesson of lessons) {
      for (const level of levels) {
        const folder = exerciseFolder(lesson, { level });
        t.after(() => {
          removeFolder(folder);
        });
        for (const [number, units] of Object.entries(fadedAtLevel2)) {
          if (Number(number) === lesson.number) continue;
          for (const unit of units) {
            const path = join(folder, unit.file);
            const answer = unitIn(
              join(lessonNumbered(Number(number)).folder, unit.file),
              unit.unit,
            )?.body?.getText();
            const held = existsSync(path) ? readFileSync(path, "utf8") : "";
            assert.ok(
              answer !== undefined && !held.includes(answer),
              `lesson ${lesson.number}, level ${level}: ${unit.file} holds ${unit.unit} whole`,
            );
          }
        }
      }
    }
  });

  test("every hole's first hint is the plan in words only: no call, helper or code", () => {
    const all = [...Object.values(holes), ...Object.values(fadedAtLevel2).flat()];
    const coded = all.filter(({ plan }) => /\w\(|`|\.\w+\(|<\w+>/.test(plan));
    assert.deepEqual(
      coded.map(({ plan }) => plan),
      [],
      "plans with code in them",
    );
  });

  test("a type error is found run after run, until it is fixed (tsc's cache keeps nothing stale)", async (t) => {
    const folder = solvedFolder(1);
    t.after(() => {
      removeFolder(folder);
    });
    const typeError = 'const mistyped: number = "6001";\nexport { mistyped };\n';
    writeFileSync(
      join(folder, "server.ts"),
      readFileSync(join(folder, "server.ts"), "utf8") + typeError,
    );
    // Twice: the second run reads what the first taught tsc (--incremental), and still reports it.
    for (const run of ["first", "second"]) {
      const errors = await typeErrorsIn(folder);
      assert.match(
        errors.map((error) => `${error.file} ${error.message}`).join("\n"),
        /server\.ts Type 'string' is not assignable to type 'number'/,
        `the ${run} run`,
      );
    }
    patch(folder, "server.ts", typeError, "");
    assert.deepEqual(await typeErrorsIn(folder), [], "once fixed");
  });

  test("with every hole filled and a step failing, npm run hint helps with that step", async (t) => {
    const mistake = mistakes.find((each) => each.name.startsWith("the CR of a CRLF"));
    if (mistake === undefined) throw new Error("mistakes.ts has no CRLF mistake");
    const folder = solvedFolder(mistake.lesson);
    t.after(() => {
      removeFolder(folder);
    });
    patch(folder, mistake.file, mistake.from, mistake.to);
    const result = await runSteps(folder, "test", { types: false });
    assert.equal(result.code, 1, result.stdout.join("\n"));
    const [, number, name] = /step (\d+): (.*)$/.exec(firstFailure(result.stdout)) ?? [];
    for (const rung of [1, 2, 3]) {
      const hint = (await askHint(folder)).stdout.join("\n");
      assert.match(
        hint,
        new RegExp(`^Every hole is filled, and step ${number} still fails: `),
        hint,
      );
      assert.ok(name !== undefined && hint.includes(name), hint);
      assert.match(hint, new RegExp(`Hint ${rung} of 3: `), hint);
      assert.doesNotMatch(hint, new RegExp(`Hint ${rung + 1} of 3`), hint);
    }
    const ladder = (await askHint(folder)).stdout.join("\n");
    assert.match(ladder, /Hint 1 of 3: What step \d+ checks: [^\n]*A request ends at a newline/);
    assert.match(ladder, /Hint 3 of 3: The parts you wrote[\s\S]*- server\.ts line \d+: /);
  });
});
