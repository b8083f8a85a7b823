// `npm run record`: each lesson README's recorded exchange, made again: a run of npm run trace,
// its Mermaid text, and its picture (exchange.png), drawn by Mermaid in headless Chromium.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { usageOnHelp } from "../lib/help.ts";
import { findLesson, lessons } from "../lib/lessons.ts";
import { mermaidBlock, picturePath, traceOnce, withRecorded } from "../lib/recorded.ts";

usageOnHelp(`Usage: npm run record [-- <lesson> ...]

Runs npm run trace for each lesson (default: every lesson) and writes what it drew into the
lesson's README, between its "recorded" markers, with the picture exchange.png beside it.
Needs Chromium (SOCKET_LESSONS_CHROMIUM names one elsewhere than /usr/bin).`);

// Loaded after --help: playwright-core takes a third of a second to load.
const { noBrowser, render, withBrowser } = await import("../lib/browser.ts");
const why = noBrowser();
if (why !== undefined) {
  console.error(`npm run record draws with a browser, and there is ${why}.`);
  process.exit(1);
}
const chosen = process.argv.length > 2 ? process.argv.slice(2).map(findLesson) : lessons;
await withBrowser(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  for (const lesson of chosen) {
    const traced = await traceOnce(lesson.number);
    const title = /^# (.+)$/m.exec(traced)?.[1] ?? `Lesson ${lesson.number}`;
    const diagram = mermaidBlock(traced);
    await render(page, diagram);
    await page.locator("#diagram svg").screenshot({ path: picturePath(lesson) });
    const readme = join(lesson.folder, "README.md");
    writeFileSync(readme, withRecorded(readFileSync(readme, "utf8"), title, diagram));
    console.log(`${lesson.name}: README.md and ${picturePath(lesson)} recorded.`);
  }
});
