// The recorded exchange in each lesson README: a run of `npm run trace`, its Mermaid source and
// its picture (exchange.png), between two markers. `npm run record` writes them; diagram.test.ts
// holds each to what the lesson does today, by shape: the same lifelines, each with the same
// arrows in the same order, whatever the run's times and ports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { repositoryRoot, studentEnvironment, type Lesson } from "./lessons.ts";
import { runProcess } from "./process.ts";

export const RECORDED_START = "<!-- recorded by npm run record: do not edit -->";
export const RECORDED_END = "<!-- end of recorded -->";
export const PICTURE = "exchange.png";

/** Where a lesson's picture of its recorded exchange is. */
export function picturePath(lesson: Lesson): string {
  return join(lesson.folder, PICTURE);
}

/** A run of `npm run trace -- <lesson>`: the Markdown file it wrote. */
export async function traceOnce(lesson: number): Promise<string> {
  const out = join(temporaryFolder("trace"), "trace.md");
  const run = await runProcess(
    process.execPath,
    ["--import", "tsx", "tools/src/commands/trace.ts", String(lesson), "--out", out],
    { cwd: repositoryRoot, env: studentEnvironment(), timeoutMs: 60_000 },
  );
  if (run.code !== 0)
    throw new Error(`npm run trace -- ${lesson} failed: ${run.stderr.join("\n")}`);
  return readFileSync(out, "utf8");
}

/** The README with its recorded section replaced by this `diagram` (a Mermaid block's text). */
export function withRecorded(readme: string, title: string, diagram: string): string {
  const [before, rest] = splitAt(readme, RECORDED_START);
  const [, after] = splitAt(rest, RECORDED_END);
  const section = [
    RECORDED_START,
    "",
    `![${title}: the sequence diagram of one run](${PICTURE})`,
    "",
    "<details><summary>The same diagram, as Mermaid text (what npm run trace writes)</summary>",
    "",
    "```mermaid",
    diagram.trimEnd(),
    "```",
    "",
    "</details>",
    "",
    RECORDED_END,
  ].join("\n");
  return `${before}${section}${after}`;
}

/** The Mermaid text of a README's recorded exchange. */
export function recordedDiagram(readme: string): string {
  const [, rest] = splitAt(readme, RECORDED_START);
  const [section] = splitAt(rest, RECORDED_END);
  return mermaidBlock(section);
}

/**
 * A diagram's shape: per lifeline, its lines in order, with times and ports left out. Two runs
 * of one scenario have one shape; the order between lifelines is left out too, because which of
 * two connections the server reads first is the operating system's choice.
 */
export function shapeOf(diagram: string): Record<string, string[]> {
  const shape: Record<string, string[]> = {};
  for (const line of diagram.split("\n").map((text) => text.trim())) {
    const steady = line
      .replace(/\(\+\d+\.\d+ s\)/g, "(+t)")
      .replace(/(127\.0\.0\.1|\[::1\]|::1):\d+/g, "$1:port");
    const lifeline = /^(?:create participant |destroy |participant )?(\w+)/.exec(steady)?.[1];
    const arrow = /^(\w+)(?:-->>|->>|-\)|-x)(\w+):/.exec(steady);
    const own = arrow === null ? lifeline : [arrow[1], arrow[2]].find((name) => name !== "S");
    if (own === undefined || steady === "sequenceDiagram") continue;
    (shape[own] ??= []).push(steady);
  }
  return shape;
}

/** The Mermaid block of a Markdown file that trace.md or failed-step-N.md wrote. */
export function mermaidBlock(markdown: string): string {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error(`No mermaid block in:\n${markdown}`);
  return block;
}

/** `text` cut at the first `marker`: what comes before it, and what after it. */
function splitAt(text: string, marker: string): [string, string] {
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`No "${marker}" in the README.`);
  return [text.slice(0, at), text.slice(at + marker.length)];
}
