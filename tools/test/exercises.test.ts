// Both ends of every exercise: the starter installs nothing new, typechecks, and fails at its
// first step with a readable sentence and a hint; the lesson's own code put into it passes; and
// each plausible mistake (tools/exercises/mistakes.ts) fails at the step that names it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { mistakes } from "../exercises/mistakes.ts";
import {
  exerciseFolder,
  patch,
  removeFolder,
  runSteps,
  typecheck,
} from "../src/exercise-folder.ts";
import { lessonNumbered, lessons } from "../src/lessons.ts";

/** The reporter's account of the first failing step: `The first step to fix is step N: name`. */
function firstFailure(stdout: string[]): string {
  return stdout.find((line) => line.startsWith("The first step to fix")) ?? "(no failing step)";
}

describe("exercises", { concurrency: 2 }, () => {
  for (const lesson of lessons) {
    test(`lesson ${lesson.number}: the starter typechecks and fails at step 1 with the hole and a hint`, async (t) => {
      const folder = exerciseFolder(lesson);
      t.after(() => {
        removeFolder(folder);
      });
      // The README works where the exercise is: nothing points into the repository.
      const readme = readFileSync(join(folder, "README.md"), "utf8");
      assert.doesNotMatch(readme, /\]\(\.\.\/|npm run lesson:|repository/, "the exercise's README");
      const checked = await typecheck(folder);
      assert.equal(checked.code, 0, checked.stdout.join("\n"));
      const result = await runSteps(folder);
      const output = result.stdout.join("\n");
      assert.equal(result.code, 1, output);
      assert.match(firstFailure(result.stdout), /^The first step to fix is step 1: /);
      assert.match(output, /It said: (server|client)\.ts line \d+ is still to be written: /);
      assert.match(output, /^ {2}Hint: /m);
      assert.doesNotMatch(output, /^\s+at /m, "no stack trace");
      t.diagnostic(
        output
          .split("\n")
          .filter((line) => line.startsWith("  "))
          .join(" / "),
      );
    });

    test(`lesson ${lesson.number}: the lesson's own code, put into the starter, passes`, async (t) => {
      const folder = exerciseFolder(lesson, { solved: true });
      t.after(() => {
        removeFolder(folder);
      });
      const result = await runSteps(folder);
      assert.equal(result.code, 0, result.stdout.join("\n"));
      assert.match(result.stdout.join("\n"), /ℹ fail 0/);
    });
  }

  for (const mistake of mistakes) {
    test(`lesson ${mistake.lesson}, ${mistake.name}: fails at the step that names it`, async (t) => {
      const folder = exerciseFolder(lessonNumbered(mistake.lesson), { solved: true });
      t.after(() => {
        removeFolder(folder);
      });
      patch(folder, mistake.file, mistake.from, mistake.to);
      const result = await runSteps(folder);
      assert.equal(result.code, 1, result.stdout.join("\n"));
      assert.match(firstFailure(result.stdout), mistake.failsAt, result.stdout.join("\n"));
      assert.doesNotMatch(result.stdout.join("\n"), /^\s+at /m, "no stack trace");
    });
  }
});
