// Each plausible mistake (tools/exercises/mistakes.ts), made in a solved exercise, fails at the
// step that names it, with a verdict in plain words: a task of its own beside exercises.test.ts,
// so that turbo spreads the two across the cores.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { mistakes } from "../exercises/mistakes.ts";
import { patch, removeFolder, runSteps, solvedFolder } from "../src/lib/exercise-folder.ts";
import { assertPlainVerdict, firstFailure } from "../src/lib/verdicts.ts";

describe("mistakes", { concurrency: 2 }, () => {
  for (const mistake of mistakes) {
    const program = mistake.program === undefined ? "" : ` (${mistake.program})`;
    test(`lesson ${mistake.lesson}${program}, ${mistake.name}: fails at the step that names it`, async (t) => {
      const folder = solvedFolder(mistake.lesson, mistake.program);
      t.after(() => {
        removeFolder(folder);
      });
      patch(folder, mistake.file, mistake.from, mistake.to);
      if (mistake.and) patch(folder, mistake.file, mistake.and.from, mistake.and.to);
      // A mistake of behaviour is judged without the type check, a third of a run's CPU, and
      // by its first failure: the steps after it need not run.
      const types = mistake.failsAt.test("the types: TypeScript finds no error");
      const result = await runSteps(folder, "test", { types, firstFailureOnly: true });
      const output = result.stdout.join("\n");
      assert.equal(result.code, 1, output);
      assert.match(firstFailure(result.stdout), mistake.failsAt, output);
      const verdict = output.slice(output.indexOf("The first step to fix"));
      assert.match(verdict, mistake.says, "the verdict names the mistake");
      assertPlainVerdict(verdict);
      if (mistake.draws !== undefined) {
        const file = /drawn in (failed-step-\d+\.md)/.exec(verdict)?.[1] ?? "(no diagram named)";
        assert.match(readFileSync(join(folder, file), "utf8"), mistake.draws, file);
      }
      t.diagnostic(verdict.split("\n").slice(0, 8).join(" / "));
    });
  }
});
