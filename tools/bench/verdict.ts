// The verdict a student waits for after each save: each lesson's `npm test`, in the lesson's
// folder and in exercise folders (both levels solved with the lesson's code, and lesson 3's
// starter with nothing written), beside what a bare Node start and one tsx start cost on this
// machine in the same run, so that a slow machine shows as slow. With `--before <checkout>`,
// each lesson's `npm test` in that checkout (another commit of this repository, installed) is
// timed in the same rounds, interleaved: before and after, side by side.
import { join } from "node:path";
import type { Level } from "../src/commands/exercise.ts";
import { exerciseFolder, removeFolder, runSteps } from "../src/lib/exercise-folder.ts";
import type { Lesson } from "../src/lib/lessons.ts";
import { runProcess } from "../src/lib/process.ts";
import { python, pythonCommand, pythonPrograms, solutionFile } from "../src/lib/python.ts";
import { median } from "./stats.ts";

export interface Verdict {
  /** What was timed: `node -e 0`, a lesson's `npm test`, an exercise's. */
  what: string;
  steps: number;
  medianMs: number;
  runs: number[];
}

/** One run of a folder's `npm test`; a solved folder must pass, a starter must fail. */
async function timedSteps(folder: string, passes: boolean): Promise<{ ms: number; steps: number }> {
  const began = performance.now();
  const result = await runSteps(folder);
  const ms = performance.now() - began;
  if ((result.code === 0) !== passes) {
    throw new Error(`npm test in ${folder} exited ${result.code}:\n${result.stdout.join("\n")}`);
  }
  return { ms, steps: Number(/ℹ tests (\d+)/.exec(result.stdout.join("\n"))?.[1] ?? 0) };
}

async function timedCommand(args: string[], cwd: string): Promise<number> {
  const began = performance.now();
  await runProcess(process.execPath, args, { cwd, timeoutMs: 60_000 });
  return performance.now() - began;
}

/** One `npm run check -- --server "python3 <solution> {port}"` in the lesson's folder. */
async function timedCheck(lesson: Lesson, role: "server" | "client", file: string) {
  const command = pythonCommand(solutionFile(file));
  const began = performance.now();
  const result = await runProcess(
    process.execPath,
    ["--import", "tsx", join("check", "check.ts"), `--${role}`, command],
    { cwd: lesson.folder, timeoutMs: 60_000 },
  );
  const ms = performance.now() - began;
  if (result.code !== 0) throw new Error(`npm run check in ${lesson.name} exited ${result.code}`);
  return { ms, steps: Number(/ℹ pass (\d+)/.exec(result.stdout.join("\n"))?.[1] ?? 0) };
}

/** What one round times, by name: each returns milliseconds and the steps it ran. */
type Timed = [string, () => Promise<{ ms: number; steps: number }>];

function subjects(lessons: Lesson[], before: string | undefined, smoke: boolean): Timed[] {
  const lesson3 = lessons.find((lesson) => lesson.number === 3) ?? lessons[0];
  const reference: Timed[] = [
    ["node -e 0", async () => ({ ms: await timedCommand(["-e", "0"], "."), steps: 0 })],
    [
      "one tsx start (lesson 3's server.ts --help)",
      async () => ({
        ms: await timedCommand(["--import", "tsx", "server.ts", "--help"], lesson3?.folder ?? "."),
        steps: 0,
      }),
    ],
  ];
  const perLesson = lessons.flatMap((lesson): Timed[] => [
    ...(before === undefined
      ? []
      : [
          [
            `before: ${lesson.name} npm test`,
            () => timedSteps(join(before, "lessons", lesson.name), true),
          ] as Timed,
        ]),
    [`${lesson.name} npm test`, () => timedSteps(lesson.folder, true)],
    // The same steps judging the Python solution, where Python is here (the smoke run skips it).
    ...(smoke || python === undefined
      ? []
      : (["server", "client"] as const).map((role): Timed => {
          const file = pythonPrograms[lesson.number]?.[role] ?? "";
          return [
            `${lesson.name} npm run check, Python ${role}`,
            () => timedCheck(lesson, role, file),
          ];
        })),
    ...((smoke ? [2] : [1, 2]) as Level[]).map((level): Timed => [
      `${lesson.name} exercise, level ${level}, solved`,
      () => inExercise(lesson, level, true),
    ]),
  ]);
  const starter: Timed[] =
    lesson3 === undefined || smoke
      ? []
      : [
          [
            `${lesson3.name} exercise, level 1, nothing written (fails)`,
            () => inExercise(lesson3, 1, false),
          ],
        ];
  return [...reference, ...perLesson, ...starter];
}

/** A new exercise folder, run once to warm tsx's cache as a student's first run does; then timed. */
async function inExercise(lesson: Lesson, level: Level, solved: boolean) {
  const folder = exerciseFolder(lesson, { solved, level });
  try {
    await timedSteps(folder, solved);
    return await timedSteps(folder, solved);
  } finally {
    removeFolder(folder);
  }
}

/** Every subject once per round, in the same order, `rounds` times; medians and every run. */
export async function verdictFigures(
  lessons: Lesson[],
  rounds: number,
  { before, smoke = false }: { before?: string; smoke?: boolean } = {},
): Promise<Verdict[]> {
  // The smoke run (the bench's own test) times one exercise level and no starter.
  const timed = subjects(lessons, before, smoke);
  const runs = new Map<string, number[]>(timed.map(([what]) => [what, []]));
  const steps = new Map<string, number>();
  for (let round = 0; round < rounds; round += 1) {
    for (const [what, time] of timed) {
      const result = await time();
      runs.get(what)?.push(result.ms);
      steps.set(what, result.steps);
    }
  }
  const figures = timed.map(([what]) => {
    const each = runs.get(what) ?? [];
    return { what, steps: steps.get(what) ?? 0, medianMs: median(each), runs: each };
  });
  for (const figure of figures) console.log(describeVerdict(figure));
  return figures;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function describeVerdict({ what, steps, medianMs, runs }: Verdict): string {
  const range = `${seconds(Math.min(...runs))} to ${seconds(Math.max(...runs))}`;
  const counted = steps > 0 ? `, ${steps} steps` : "";
  return `verdict ${what.padEnd(58)} median ${seconds(medianMs)} (${range}, ${runs.length} runs${counted})`;
}
