// A real browser for the diagrams: headless Chromium (the system's, never a download), driven by
// playwright-core, with Mermaid from node_modules. The diagram tests, the README pictures and the
// live page's test all draw through here.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { MERMAID_SCRIPT } from "./mermaid.ts";

/** Where Chromium is: $SOCKET_LESSONS_CHROMIUM, or where Chromium or Chrome usually is. */
export function chromiumPath(): string | undefined {
  const candidates = [
    process.env.SOCKET_LESSONS_CHROMIUM,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    // Windows: Chrome where GitHub's runners and most computers have it, else Edge (Chromium).
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
  ];
  return candidates.find((path) => path !== undefined && path !== "" && existsSync(path));
}

/** Why a browser test cannot run here, in one sentence; undefined when it can. */
export function noBrowser(): string | undefined {
  if (chromiumPath() !== undefined) return undefined;
  return "no Chromium here (Debian: apt-get install chromium; elsewhere set SOCKET_LESSONS_CHROMIUM to a Chrome or Chromium)";
}

/** Headless Chromium; the caller closes it. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error(noBrowser());
  // --no-sandbox: CI runs as root, where Chromium's own sandbox refuses to start.
  return chromium.launch({ executablePath, args: ["--no-sandbox"] });
}

/** Headless Chromium, for `use`; closed afterwards whatever happens. */
export async function withBrowser<T>(use: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** What Mermaid drew: its lifelines' names, left to right, and its arrows' words, top down. */
export interface Drawn {
  participants: string[];
  messages: string[];
}

/** Reads a rendered sequence diagram back out of `page` (the SVG's own text elements). */
export async function drawnOn(page: Page): Promise<Drawn> {
  // No named function inside: tsx names them with a helper (__name) that the page lacks.
  const [actors = [], arrows = []] = await page.evaluate(() => {
    const { document } = globalThis as unknown as { document: PageDocument };
    return ["text.actor", "text.messageText"].map((selector) =>
      [...document.querySelectorAll(selector)].map((element) => ({
        words: element.textContent ?? "",
        x: element.getBoundingClientRect().x,
      })),
    );
  });
  // Lifelines left to right, each once (Mermaid draws a lifeline's box at its top and bottom).
  const participants = [...new Set(actors.sort((a, b) => a.x - b.x).map((actor) => actor.words))];
  return { participants, messages: arrows.map((arrow) => arrow.words) };
}

/** Mermaid's error for a diagram it rejects, or what it drew; the drawing stays in #diagram. */
export async function render(page: Page, diagram: string): Promise<Drawn> {
  await page.setContent('<main id="diagram"></main>');
  await page.addScriptTag({ path: MERMAID_SCRIPT });
  const error = await page.evaluate(async (text) => {
    const { mermaid, document } = globalThis as unknown as {
      mermaid: MermaidApi;
      document: PageDocument;
    };
    mermaid.initialize({ startOnLoad: false });
    try {
      const { svg } = await mermaid.render("drawn", text);
      const target = document.querySelector("#diagram");
      if (target !== null) target.innerHTML = svg;
      return undefined;
    } catch (error) {
      return String(error);
    }
  }, diagram);
  if (error !== undefined) throw new Error(`Mermaid rejected the diagram: ${error}\n${diagram}`);
  return drawnOn(page);
}

/** The part of a page's document these functions use (tools compile without the DOM's types). */
export interface PageDocument {
  querySelector(selector: string): { innerHTML: string } | null;
  querySelectorAll(
    selector: string,
  ): Iterable<{ textContent: string | null; getBoundingClientRect(): { x: number } }>;
}

/** The part of Mermaid's browser API these pages use. */
export interface MermaidApi {
  initialize(config: { startOnLoad: boolean }): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}
