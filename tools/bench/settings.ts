// The benchmark's settings, from its command line: `npm run bench -- --runs 7 --seconds 5`.
// `--smoke` is a tiny run for the tests; `--out` is where bench/ and docs/ are written;
// `--only closing` measures only how each server copes with polite and reset-closing clients;
// `--only endurance` only lesson 3's memory and log over a minute of reset-closing clients;
// `--only class` only how many submissions per minute `npm run check --each` grades;
// `--only verdict` only how long each lesson's and exercise's `npm test` takes; with
// `--before <checkout>`, that checkout's lessons too, in the same rounds (before and after).
// `npm run profile` takes `--seconds`, `--clients` and `--closing` (reset or polite);
// `npm run compare` takes those, `--runs` and `--variants` (folders, separated by commas).
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { usageOnHelp } from "../src/lib/help.ts";

/** How the load's clients close: a half-close and FIN, or a reset once the reply is in (load.ts). */
export type Closing = "polite" | "reset";

usageOnHelp(`Usage: npm run bench [-- --runs <n>] [--seconds <s>] [--only closing|endurance|verdict|class]
                 [--before <checkout>] [--smoke] [--out <folder>]
       npm run profile [-- --seconds <s>] [--clients <n>] [--closing reset|polite]
       npm run compare [-- --variants <folder,folder,...>] [--runs <n>] [--seconds <s>]

bench measures lesson 3's server beside a baseline, UDP loss, startups, the verdicts' times and
a class graded, and writes tools/docs/benchmarks.md; profile and compare look into a ratio that
fell (tools/docs/profiling.md).`);

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    seconds: { type: "string", default: "3" },
    runs: { type: "string", default: "5" },
    out: { type: "string", default: fileURLToPath(new URL("..", import.meta.url)) },
    only: { type: "string" },
    clients: { type: "string", default: "64" },
    closing: { type: "string", default: "reset" },
    variants: { type: "string", default: "" },
    before: { type: "string" },
  },
});
const sections = ["closing", "endurance", "verdict", "class"];
if (values.only !== undefined && !sections.includes(values.only)) {
  throw new Error(
    `--only takes "closing", "endurance", "verdict" or "class", not "${values.only}"`,
  );
}
if (values.closing !== "reset" && values.closing !== "polite") {
  throw new Error(`--closing takes "reset" or "polite", not "${values.closing}"`);
}
export const smoke = values.smoke;
/** How long each load run lasts. */
export const seconds = smoke ? 0.3 : Number(values.seconds);
/** How many runs each figure is the median of. */
export const runs = smoke ? 1 : Number(values.runs);
export const concurrencies = smoke ? [1, 4] : [1, 16, 64, 256];
/** How long the endurance run lasts. */
export const enduranceSeconds = smoke ? 2 : 60;
export const out = values.out;
/** `--only closing`: just the polite and reset-closing loads, side by side; `endurance`, `verdict`: just those. */
export const only = values.only;
/** For `npm run profile`: how many clients, and how they close. */
export const profileClients = Number(values.clients);
export const profileClosing: Closing = values.closing;
/** For `npm run compare`: copies of lesson 3's folder, each with one thing changed. */
export const variantFolders = values.variants.split(",").filter((folder) => folder !== "");
/** Another checkout of this repository whose lessons' `npm test` the verdict times too. */
export const before = values.before;
