// `--each --sandbox`: a submission's programs run where they can reach loopback only and write
// only in their own folder and /tmp. Linux only, through util-linux `unshare`: a user
// namespace (no root needed), a network namespace with its own loopback, a mount namespace
// where everything else is read-only, and a PID namespace that ends with the checker.
import { spawnSync } from "node:child_process";

/**
 * The commands inside the namespaces, in order: "$0" is the submission's folder, "$1" the
 * folder the checker runs in. /tmp, then the submission's folder, become mounts of their own,
 * which stay writable when every other mount is made read-only.
 */
const inside = [
  "ip link set lo up",
  "mount --bind /tmp /tmp",
  'mount --bind "$0" "$0"',
  // Every other mount read-only, deepest first so that each remount sees its parent unchanged.
  `for m in $(awk '{print $5}' /proc/self/mountinfo | sort -r); do case "$m" in "$0"|/tmp|/proc*|/dev*|/sys*) ;; *) mount -o remount,bind,ro "$m" 2>/dev/null ;; esac; done`,
  'cd "$1"',
  "shift",
  'exec "$@"',
].join(" && ");

/** `command`, run in `workingFolder`, inside the sandbox of the submission in `folder`. */
export function sandboxed(
  command: [string, ...string[]],
  folder: string,
  workingFolder: string,
): [string, ...string[]] {
  return [
    "unshare",
    "--user",
    "--map-root-user",
    "--net",
    "--mount",
    "--pid",
    "--fork",
    "--kill-child",
    "--mount-proc",
    "--",
    "sh",
    "-c",
    inside,
    folder,
    workingFolder,
    ...command,
  ];
}

let unavailable: string | undefined | null = null;

/** Why this machine cannot sandbox, or undefined: tried once, with `true` in a sandbox. */
export function sandboxUnavailable(): string | undefined {
  if (unavailable !== null) return unavailable;
  if (process.platform !== "linux") {
    unavailable = `it needs Linux namespaces, and this is ${process.platform}`;
    return unavailable;
  }
  const [file, ...args] = sandboxed(["true"], process.cwd(), process.cwd());
  const probe = spawnSync(file, args, { encoding: "utf8" });
  unavailable =
    probe.status === 0
      ? undefined
      : `unshare could not make the namespaces (${(probe.error?.message ?? probe.stderr).trim()})`;
  return unavailable;
}
