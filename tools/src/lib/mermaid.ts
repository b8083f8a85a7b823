// Mermaid for the browser, from node_modules, served to the live page (live/live.ts) and loaded
// into the test pages (browser.ts), so that nothing is fetched from the network. The tiny build:
// one 2.9 MB file with no dependencies, sequence diagrams included, where the full package
// installs about 210 MB.
import { createRequire } from "node:module";

export const MERMAID_SCRIPT = createRequire(import.meta.url).resolve(
  "@mermaid-js/tiny/dist/mermaid.tiny.js",
);
