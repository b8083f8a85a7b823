// The seed's Python programs (tools/peers), run as real peers of the lessons.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, type StartOptions } from "./process.ts";

export const peers = fileURLToPath(new URL("../../peers/", import.meta.url));

/**
 * The Python 3 command here, or undefined when there is none: `python3` on Linux and macOS; on
 * Windows, the `py -3` launcher or `python` (there is no `python3` there but a Store stub).
 * A command that is missing is passed over: spawnSync reports it in `error`, with no output.
 */
export const python = [["python3"], ["py", "-3"], ["python"]].find(([command = "", ...args]) => {
  const answer = spawnSync(command, [...args, "--version"], { encoding: "utf8" });
  return answer.error === undefined && answer.stdout.startsWith("Python 3");
});

/** The reason to skip peer tests, or false when Python is here. */
export const noPython = python === undefined && "Python 3 is not installed here";

/** Starts one of the seed's programs, such as `server2.py`, unbuffered so lines arrive at once. */
export function startPeer(file: string, args: string[], options: StartOptions = {}) {
  const [command, ...launcher] = python ?? [];
  if (command === undefined) throw new Error(String(noPython));
  return startProcess(command, [...launcher, "-u", file, ...args], { cwd: peers, ...options });
}

/**
 * The command `npm run check` runs for a Python file, {port} filled in per step:
 * `python3 "/path/to/server3.py" {port}`.
 */
export function pythonCommand(file: string): string {
  return [...(python ?? ["python3"]), `"${file}"`, "{port}"].join(" ");
}

/** The seed's programs (tools/peers) and their solutions (tools/peers/solutions), by lesson. */
export const pythonPrograms: Record<number, { server: string; client: string }> = {
  1: { server: "server1.py", client: "client1.py" },
  2: { server: "server2.py", client: "client2.py" },
  3: { server: "server3.py", client: "client3.py" },
  4: { server: "udp_receiver.py", client: "udp_sender.py" },
};

/** Where a seed program's solution is. */
export function solutionFile(file: string): string {
  return join(peers, "solutions", file);
}
