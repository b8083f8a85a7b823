// The verdict a student waits for after each save: `npm test` in an exercise folder that holds
// the lesson's own code, at each level, cold (a new folder, so tsx compiles every file) and warm (run again).
import type { Level } from "../src/exercise.ts";
import { exerciseFolder, removeFolder, runSteps } from "../src/exercise-folder.ts";
import type { Lesson } from "../src/lessons.ts";
import { median } from "./stats.ts";

export interface Verdict {
  lesson: string;
  level: Level;
  steps: number;
  coldMs: number;
  warmMs: number;
  coldRuns: number[];
  warmRuns: number[];
}

async function timedRun(folder: string): Promise<{ ms: number; steps: number }> {
  const began = performance.now();
  const result = await runSteps(folder);
  const ms = performance.now() - began;
  if (result.code !== 0)
    throw new Error(`the solved exercise failed:\n${result.stdout.join("\n")}`);
  return { ms, steps: Number(/ℹ tests (\d+)/.exec(result.stdout.join("\n"))?.[1] ?? 0) };
}

export async function verdictFigures(lessons: Lesson[], rounds: number): Promise<Verdict[]> {
  const figures: Verdict[] = [];
  for (const [lesson, level] of lessons.flatMap((lesson) =>
    ([1, 2] as const).map((level) => [lesson, level] as const),
  )) {
    const coldRuns: number[] = [];
    const warmRuns: number[] = [];
    let steps = 0;
    for (let round = 0; round < rounds; round += 1) {
      const folder = exerciseFolder(lesson, { solved: true, level });
      try {
        coldRuns.push((await timedRun(folder)).ms);
        const warm = await timedRun(folder);
        warmRuns.push(warm.ms);
        steps = warm.steps;
      } finally {
        removeFolder(folder);
      }
    }
    const figure = {
      lesson: lesson.name,
      level,
      steps,
      coldMs: median(coldRuns),
      warmMs: median(warmRuns),
      coldRuns,
      warmRuns,
    };
    console.log(
      `verdict ${lesson.name.padEnd(18)} level ${level}, ${steps} steps: cold ${(figure.coldMs / 1000).toFixed(2)} s, warm ${(figure.warmMs / 1000).toFixed(2)} s (median of ${rounds})`,
    );
    figures.push(figure);
  }
  return figures;
}
