// The steps' temporary folders (compiled programs, catalog files), removed when the steps end
// however they end: passed, failed, or stopped with Ctrl+C. Nothing is left in the temp folder.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made = new Set<string>();

/**
 * The PID namespace this process runs in (Linux), "0" elsewhere: a process id means something
 * only in its own namespace, and a sandboxed run shares the temp folder with runs outside it.
 */
export const namespace = (() => {
  try {
    return /\[(\d+)\]/.exec(readlinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
  } catch {
    return "0";
  }
})();

/** A new folder in the system's temp folder, `socket-lessons-<purpose>-<pid>-ns<namespace>-...`. */
export function temporaryFolder(purpose: string): string {
  if (made.size === 0) removeAtTheEnd();
  const prefix = `socket-lessons-${purpose}-${process.pid}-ns${namespace}-`;
  const folder = mkdtempSync(join(tmpdir(), prefix));
  made.add(folder);
  return folder;
}

/** Removes every folder made so far (it is safe to call more than once). */
export function removeTemporaryFolders(): void {
  for (const folder of made) rmSync(folder, { recursive: true, force: true });
  made.clear();
}

const endings = new Set<() => void>();

/**
 * Runs `cleanUp` when this process ends, however it ends: at exit, and on the signals that stop
 * a run, Ctrl+C (SIGINT), a closed terminal (SIGHUP), a kill (SIGTERM; node --test sends it to
 * its test file on Ctrl+C). The signal then does what it would have done: the run stops there;
 * unless the process handles that signal itself (check.ts reports what ran), and ends on its own.
 */
export function atTheEnd(cleanUp: () => void): void {
  if (endings.size === 0) {
    const endAll = () => {
      for (const ending of endings) ending();
      endings.clear();
    };
    process.once("exit", endAll);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(signal, () => {
        if (process.listenerCount(signal) > 0) return; // Cleaned up at its exit.
        endAll();
        process.kill(process.pid, signal);
      });
    }
  }
  endings.add(cleanUp);
}

function removeAtTheEnd(): void {
  removeLeftovers();
  atTheEnd(removeTemporaryFolders);
}

/**
 * A run that was killed outright cannot clean up: Ctrl+C while the test runner is still starting
 * its file ends that process before any handler runs (seen here, 1 time in 3). Its folders carry
 * its process id and PID namespace; the next run removes those whose process is gone, and only
 * from its own namespace, where it can tell: in another, the same number is another process.
 */
function removeLeftovers(): void {
  for (const name of readdirSync(tmpdir())) {
    const [, pid, space] = /^socket-lessons-[a-z-]+?-(\d+)-ns(\d+)-\w{6}$/.exec(name) ?? [];
    if (space !== namespace || !(Number(pid) > 0) || isRunning(Number(pid))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // Signal 0 only asks whether the process exists.
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // It exists, owned by another user.
  }
}
