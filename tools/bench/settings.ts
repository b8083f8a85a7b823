// The benchmark's settings, from its command line: `npm run bench -- --runs 7 --seconds 5`.
// `--smoke` is a tiny run for the tests; `--out` is where bench/ and docs/ are written.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    seconds: { type: "string", default: "3" },
    runs: { type: "string", default: "5" },
    out: { type: "string", default: fileURLToPath(new URL("..", import.meta.url)) },
  },
});
export const smoke = values.smoke;
/** How long each load run lasts. */
export const seconds = smoke ? 0.3 : Number(values.seconds);
/** How many runs each figure is the median of. */
export const runs = smoke ? 1 : Number(values.runs);
export const concurrencies = smoke ? [1, 4] : [1, 16, 64, 256];
export const out = values.out;
