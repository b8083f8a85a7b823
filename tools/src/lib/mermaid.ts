// Mermaid's browser build, from node_modules: one file, served to the live page (live/live.ts)
// and loaded into the test pages (browser.ts), so that nothing is fetched from the network.
import { createRequire } from "node:module";

export const MERMAID_SCRIPT = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
