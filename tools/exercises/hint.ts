// `npm run hint`: more help with the hole you are at, one rung at a time: the plan in words,
// then the Node API and its documentation, then the lesson's own lines. The hole is the one the
// last `npm test` stopped at, else the first todo() still in the files. What you have seen is
// kept in check/hints-seen.json, so that each run shows one rung more (and `npm run report`
// records it for your teacher). Written into each exercise by tools/src/exercise.ts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

interface HoleHints {
  where: string;
  todo: string;
  rungs: string[];
}

const here = (name: string) => new URL(name, import.meta.url);
const holes = JSON.parse(readFileSync(here("hints.json"), "utf8")) as HoleHints[];
const seenFile = here("hints-seen.json");
const seen = existsSync(seenFile)
  ? (JSON.parse(readFileSync(seenFile, "utf8")) as Record<string, number>)
  : {};

/** Whether the hole's todo() call is still in its file. */
function stillOpen(hole: HoleHints): boolean {
  const file = hole.where.replace(/ line \d+$/, "");
  const text = readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
  return text.includes(`todo(${JSON.stringify(hole.where)}`);
}

/** The hole the last `npm test` stopped at, as its reporter wrote it down. */
function lastStop(): string | undefined {
  const file = here("last-verdict.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { hole?: string }).hole;
}

const stoppedAt = lastStop();
const hole =
  holes.find((each) => each.where === stoppedAt && stillOpen(each)) ?? holes.find(stillOpen);
if (hole === undefined) {
  console.log(
    "Every hole is filled. If a step still fails, npm test shows it, with a hint about what that step checks.",
  );
} else {
  const shown = Math.min((seen[hole.where] ?? 0) + 1, hole.rungs.length);
  seen[hole.where] = shown;
  writeFileSync(seenFile, `${JSON.stringify(seen, null, 2)}\n`);
  console.log(`${hole.where}: ${hole.todo}.`);
  for (const [index, rung] of hole.rungs.slice(0, shown).entries()) {
    console.log(`\nHint ${index + 1} of ${hole.rungs.length}: ${rung}`);
  }
  console.log(
    shown < hole.rungs.length
      ? "\nnpm run hint again shows the next one."
      : "\nThat is every hint for this hole.",
  );
}
