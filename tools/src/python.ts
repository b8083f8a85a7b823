// The seed's Python programs (tools/peers), run as real peers of the lessons.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startProcess, type StartOptions } from "./process.ts";

const peers = fileURLToPath(new URL("../peers/", import.meta.url));

/** The Python 3 command here, or undefined when there is none. */
export const python = ["python3", "python"].find((command) =>
  spawnSync(command, ["--version"]).stdout.toString().startsWith("Python 3"),
);

/** The reason to skip peer tests, or false when Python is here. */
export const noPython = python === undefined && "Python 3 is not installed here";

/** Starts one of the seed's programs, such as `server2.py`, unbuffered so lines arrive at once. */
export function startPeer(file: string, args: string[], options: StartOptions = {}) {
  if (python === undefined) throw new Error(String(noPython));
  return startProcess(python, ["-u", file, ...args], { cwd: peers, ...options });
}
