// Each lesson folder, copied alone outside the repository, installs, tests and runs there.
import { test } from "node:test";
import { checkCopyOut } from "../src/commands/copy-out.ts";
import { lessons } from "../src/lib/lessons.ts";

for (const lesson of lessons) {
  test(`${lesson.name} works copied out on its own`, { timeout: 10 * 60_000 }, async (t) => {
    await checkCopyOut(lesson, (line) => {
      t.diagnostic(line);
    });
  });
}
