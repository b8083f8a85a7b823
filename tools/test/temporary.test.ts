// Nothing left in the temp folder: every temporary folder of a run (tools/shared/check/
// temporary.ts) is removed when its process exits or is stopped, and a folder whose process was
// killed outright is removed by the next run.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { repositoryRoot } from "../src/lib/lessons.ts";
import { namespace } from "../shared/check/temporary.ts";

const temporary = join(repositoryRoot, "tools", "shared", "check", "temporary.ts");

/** A process that makes a temporary folder, prints its path, then runs `then` (JavaScript). */
function maker(then: string) {
  const code = `const { temporaryFolder } = await import(${JSON.stringify(pathToFileURL(temporary).href)}); console.log(temporaryFolder("probe")); ${then}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: repositoryRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const folder = once(lines, "line").then(([line]) => line as string);
  return { child, folder };
}

test("a run's folder is gone once it exits", async () => {
  const { child, folder } = maker("");
  const made = await folder;
  await once(child, "exit");
  assert.equal(existsSync(made), false, `${made} is still there`);
});

test(
  "a run's folder is gone once it is stopped (SIGTERM, as node --test does on Ctrl+C)",
  {
    skip: process.platform === "win32" && "Windows has no SIGTERM to send",
  },
  async () => {
    const { child, folder } = maker("setInterval(() => {}, 1000);");
    const made = await folder;
    assert.ok(existsSync(made));
    child.kill("SIGTERM");
    const [, signal] = (await once(child, "exit")) as [number | null, string | null];
    assert.equal(signal, "SIGTERM", "the signal still stops it");
    assert.equal(existsSync(made), false, `${made} is still there`);
  },
);

test("a folder whose process was killed outright goes at the next run; a live one stays", async () => {
  // The process id of a process that has ended, and of this one, which is alive.
  const ended = spawnSync(process.execPath, ["-e", "0"]).pid;
  const here = namespace;
  const deadRun = join(tmpdir(), `socket-lessons-probe-${ended}-ns${here}-Abc123`);
  const liveRun = join(tmpdir(), `socket-lessons-probe-${process.pid}-ns${here}-Abc123`);
  // The same ended number in another PID namespace (a sandboxed run's): there it may be alive.
  const elsewhere = join(tmpdir(), `socket-lessons-probe-${ended}-ns${here}7-Abc123`);
  for (const folder of [deadRun, liveRun, elsewhere]) mkdirSync(folder, { recursive: true });
  try {
    const { child, folder } = maker("");
    await folder;
    await once(child, "exit");
    assert.equal(existsSync(deadRun), false, "the killed run's folder is still there");
    assert.equal(existsSync(liveRun), true, "a running process's folder was removed");
    assert.equal(existsSync(elsewhere), true, "another namespace's folder was removed");
  } finally {
    for (const folder of [liveRun, elsewhere]) rmSync(folder, { recursive: true, force: true });
  }
});
