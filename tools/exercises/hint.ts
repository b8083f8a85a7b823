// `npm run hint`: more help with the hole you are at, one rung at a time: the plan in words
// only, then the plan with the lesson's helpers and the Node API and its documentation, then
// the lesson's own lines. The hole is the one the
// last `npm test` stopped at, else the first todo() still in the files. With every hole filled
// and a step still failing, it helps with that step instead. What you have seen is
// kept in check/hints-seen.json, so that each run shows one rung more (and `npm run report`
// records it for your teacher). Written into each exercise by tools/src/commands/exercise.ts.
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

/** What the last `npm test` wrote down: its first failing step, and the hole it stopped at. */
interface LastVerdict {
  step?: string;
  number?: number;
  hint?: string;
  hole?: string;
}

function lastVerdict(): LastVerdict {
  const file = here("last-verdict.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as LastVerdict) : {};
}

/** Shows one rung more of `rungs` than last time, under `key` in check/hints-seen.json. */
function climb(key: string, heading: string, rungs: string[], what: string): void {
  const shown = Math.min((seen[key] ?? 0) + 1, rungs.length);
  seen[key] = shown;
  writeFileSync(seenFile, `${JSON.stringify(seen, null, 2)}\n`);
  console.log(heading);
  for (const [index, rung] of rungs.slice(0, shown).entries()) {
    console.log(`\nHint ${index + 1} of ${rungs.length}: ${rung}`);
  }
  console.log(
    shown < rungs.length
      ? "\nnpm run hint again shows the next one."
      : `\nThat is every hint for this ${what}.`,
  );
}

/**
 * Every hole is filled and a step still fails: help with that step. First what it checks, then
 * how to watch it happen, then the parts you wrote in the files it names, with their plans.
 */
function stepRungs({ hint = "", number }: LastVerdict): string[] {
  const named = holes.filter((each) => hint.includes(each.where.replace(/ line \d+$/, "")));
  const parts = (named.length > 0 ? named : holes).map(
    (each) => `- ${each.where}: ${each.todo}. Plan: ${each.rungs[0] ?? ""}`,
  );
  return [
    `What step ${number ?? "?"} checks: ${hint}`,
    "Watch it happen: npm run server -- --trace in one terminal and npm run client -- --trace in another show every byte on the wire; compare them with what npm test expected.",
    `The parts you wrote that this step runs through, and the plan for each:\n${parts.join("\n")}`,
  ];
}

const verdict = lastVerdict();
const hole =
  holes.find((each) => each.where === verdict.hole && stillOpen(each)) ?? holes.find(stillOpen);
if (hole !== undefined) {
  climb(hole.where, `${hole.where}: ${hole.todo}.`, hole.rungs, "hole");
} else if (verdict.step !== undefined) {
  climb(
    `step: ${verdict.step}`,
    `Every hole is filled, and step ${verdict.number ?? "?"} still fails: ${verdict.step}.`,
    stepRungs(verdict),
    "step",
  );
} else {
  console.log("Every hole is filled and the last npm test passed every step: well done.");
}
