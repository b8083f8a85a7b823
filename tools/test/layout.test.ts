// Each lesson folder shows the lesson: a short top level with server.ts, client.ts and the
// README, the shared helpers in common/, the checker in check/, and a README whose "In this
// folder" list names every file a student sees at the top.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { lessons, repositoryRoot } from "../src/lib/lessons.ts";

/**
 * The most entries a lesson's top level may list; lesson 3 has the most of its own. One of them
 * is exchange.png, the picture of a run that the README shows (npm run record).
 */
const mostEntries = (lesson: number) => (lesson === 3 ? 13 : 10);
/** The readable-lessons issue's budgets (issue 13): each lesson's two programs, short enough to read in one go. */
const MOST_LINES: Record<number, { "server.ts": number; "client.ts": number }> = {
  1: { "server.ts": 50, "client.ts": 50 },
  2: { "server.ts": 50, "client.ts": 50 },
  3: { "server.ts": 100, "client.ts": 70 },
  4: { "server.ts": 70, "client.ts": 70 },
};
/** What npm, turbo and `npm run report` write there; .gitignore keeps them out of the repository. */
const generated = new Set(["node_modules", ".turbo", "report.xml"]);
/** Files every package has, that the "In this folder" list need not explain. */
const packageFiles = new Set(["README.md", "package.json", "tsconfig.json"]);

for (const lesson of lessons) {
  describe(lesson.name, () => {
    const entries = readdirSync(lesson.folder).filter((name) => !generated.has(name));

    test(`lists at most ${mostEntries(lesson.number)} entries at the top, the lesson among them`, () => {
      assert.ok(
        entries.length <= mostEntries(lesson.number),
        `${entries.length} entries: ${entries.join(", ")}`,
      );
      for (const name of ["README.md", "server.ts", "client.ts", "common", "check"]) {
        assert.ok(entries.includes(name), `${name} is not at the top of ${lesson.name}`);
      }
    });

    const budget = MOST_LINES[lesson.number];
    test(`keeps server.ts and client.ts within their line budgets, ${JSON.stringify(budget)}`, () => {
      assert.ok(budget !== undefined, `lesson ${lesson.number} has no line budget here`);
      for (const [file, most] of Object.entries(budget)) {
        const lines = readFileSync(join(lesson.folder, file), "utf8").trimEnd().split("\n").length;
        assert.ok(lines <= most, `${file} has ${lines} lines, more than its ${most}`);
      }
    });

    test("keeps its checker in check/ and nothing of the checker at the top", () => {
      const checker = readdirSync(join(lesson.folder, "check"));
      assert.ok(checker.includes("lesson.test.ts"), "check/lesson.test.ts is missing");
      const misplaced = entries.filter((name) =>
        /\.test\.ts$|^(harness|watch)\.ts$|^reporter/.test(name),
      );
      assert.deepEqual(misplaced, [], "checker files at the top");
    });

    test('its "Try this" works on Windows too: each item that uses nc has a way without it', () => {
      const readme = readFileSync(join(lesson.folder, "README.md"), "utf8");
      const section = /\n## Try this\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
      const items = section.split(/\n(?=\d+\. )/).filter((item) => item.includes("`nc "));
      const withoutOther = items.filter((item) => !/curl telnet:\/\/|node -e /.test(item));
      assert.deepEqual(withoutOther, [], "items that only nc can do (Windows has no nc)");
    });

    test('its README opens with "In this folder", naming every file at the top', () => {
      const readme = readFileSync(join(lesson.folder, "README.md"), "utf8");
      const section = /\n## In this folder\n([\s\S]*?)\n## /.exec(readme)?.[1];
      assert.ok(section !== undefined, 'README.md has no "## In this folder" section');
      assert.ok(
        readme.indexOf("## In this folder") === readme.indexOf("## "),
        '"In this folder" is not the README\'s first section',
      );
      const unnamed = entries.filter(
        (name) =>
          !packageFiles.has(name) &&
          !section.includes(`\`${name}${name.includes(".") ? "" : "/"}\``),
      );
      assert.deepEqual(unnamed, [], "files at the top that the list does not name");
    });
  });
}

test("the README's quick start runs in every shell: no && (Windows PowerShell 5.1 rejects it)", () => {
  const readme = readFileSync(join(repositoryRoot, "README.md"), "utf8");
  const quickStart = /\n## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
  const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) => block[1]);
  assert.ok(commands.length > 0, "the quick start has no commands");
  assert.doesNotMatch(commands.join("\n"), /&&/);
});
