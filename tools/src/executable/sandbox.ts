// `--sandbox`: what a submission's program can reach, on Linux, through util-linux alone
// (`unshare`, `setpriv`; no root and no daemon needed). Two layers:
//   - the checker, trusted, runs outside, in a network namespace of its own per submission:
//     loopback only, and ports that never clash with another submission's;
//   - each program a step starts runs inside a mount and PID namespace of its own: its private
//     copy of the submission writable, a private /tmp, the teacher's home, the checker's
//     repository and the class folder hidden, everything else read-only, no capabilities, and
//     (when the checker is root) as the user nobody. Everything it starts ends with it.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join, relative, sep } from "node:path";

/** What the sandbox of one submission holds and hides. */
export interface SandboxPlan {
  /** The submission's private copy: the only folder it writes, seen as /tmp/submission. */
  copy: string;
  /** An empty folder of the checker's, on which its private /tmp is put together. */
  stage: string;
  /** Folders hidden behind an empty one: the home, the repository, the class folder. */
  hide: string[];
  /** Folders inside those shown again, read-only: toolchains on PATH, node_modules. */
  keep: string[];
  /** Whether the checker runs as root, when the program runs as nobody instead. */
  root: boolean;
  /** The private /tmp's size, in bytes. */
  tmpBytes: number;
}

/** The user a program runs as when the checker is root: nobody, who owns nothing. */
export const NOBODY = 65_534;

/** Root needs no user namespace; anyone else makes one, mapped to root inside it. */
const asRoot = () => process.getuid?.() === 0;
const USER_NAMESPACE = ["--user", "--map-root-user"];

/** A word for sh, in single quotes. */
const quoted = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

/** Whether `inner` is `outer` or inside it. */
const within = (inner: string, outer: string) =>
  inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

/** The plan for a submission copied to `copy`, checked by the repository at `repository`. */
export function planFor(
  copy: string,
  {
    stage,
    repository,
    classFolder,
    tmpBytes,
  }: Omit<SandboxPlan, "copy" | "hide" | "keep" | "root"> & {
    repository: string;
    classFolder: string;
  },
): SandboxPlan {
  // /tmp is private already; a folder in another hidden one goes with it.
  const candidates = [homedir(), "/root", "/home", repository, classFolder, dirname(copy)]
    .filter((folder) => folder !== "/" && !within(folder, "/tmp"))
    .sort((a, b) => a.length - b.length);
  const hide = candidates.filter(
    (folder, index) => !candidates.slice(0, index).some((outer) => within(folder, outer)),
  );
  // What the program needs from a hidden folder: the first folder below it that holds Node,
  // a PATH entry (pyenv, nvm, cargo), or exactly the repository's node_modules (tsx, for .ts).
  const hiding = [...hide, "/tmp"];
  const toolchains = [
    dirname(dirname(process.execPath)),
    ...(process.env.PATH ?? "").split(delimiter),
  ]
    .filter((path) => path.startsWith(sep))
    .flatMap((path) => {
      const outer = hiding.find((folder) => within(path, folder) && path !== folder);
      return outer === undefined ? [] : [join(outer, relative(outer, path).split(sep)[0] ?? "")];
    });
  const keep = [...new Set([...toolchains, join(repository, "node_modules")])];
  return { copy, stage, hide, keep, root: asRoot(), tmpBytes };
}

/** `command` as run inside the sandbox of `plan`, in its copy (/tmp/submission). */
export function jailed(command: string[], plan: SandboxPlan): string[] {
  const { stage } = plan;
  const setup = [
    "set -e",
    // The private /tmp, put together on the stage while the real folders can still be seen...
    `mount -t tmpfs -o size=${plan.tmpBytes},mode=1777 tmpfs ${quoted(stage)}`,
    `mkdir ${quoted(`${stage}/submission`)}`,
    `mount --bind ${quoted(plan.copy)} ${quoted(`${stage}/submission`)}`,
    ...plan.keep.flatMap((folder, index) => [
      `if [ -d ${quoted(folder)} ]; then mkdir ${quoted(`${stage}/.keep${index}`)} && mount --rbind ${quoted(folder)} ${quoted(`${stage}/.keep${index}`)}; fi`,
    ]),
    // ...then moved over /tmp, and the hidden folders covered.
    `mount --move ${quoted(stage)} /tmp`,
    ...plan.hide.map(
      (folder) =>
        `if [ -d ${quoted(folder)} ]; then mount -t tmpfs -o size=1m,mode=755 tmpfs ${quoted(folder)}; fi`,
    ),
    ...plan.keep.map(
      (folder, index) =>
        `if [ -d /tmp/.keep${index} ]; then mkdir -p ${quoted(folder)} && mount --rbind /tmp/.keep${index} ${quoted(folder)} && umount -l /tmp/.keep${index} && rmdir /tmp/.keep${index}; fi`,
    ),
    // Every other mount read-only, deepest first, so that each remount sees its parent unchanged.
    `for m in $(awk '{print $5}' /proc/self/mountinfo | sort -r); do case "$m" in /tmp|/tmp/submission|/proc*|/dev*|/sys*) ;; *) mount -o remount,bind,ro "$m" 2>/dev/null || true ;; esac; done`,
    "cd /tmp/submission",
  ].join("\n");
  const user = plan.root ? [] : USER_NAMESPACE;
  const namespaces = [...user, "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"];
  const script = `${setup}\nexec ${[...dropped(plan.root), ...AS_CHILD, ...command].map(quoted).join(" ")}`;
  return ["unshare", ...namespaces, "--", "sh", "-c", script];
}

/** No capabilities left, and, from root, the user nobody: nothing done before can be undone. */
function dropped(root: boolean): string[] {
  return [
    "setpriv",
    ...(root ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"] : []),
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--no-new-privs",
    "--",
  ];
}

/**
 * `command` as nobody, where the checker is root and no sandbox can be had (a Gradescope
 * container without namespaces): it cannot write what root owns, the results included.
 */
export function asNobody(command: string[]): string[] {
  return [...dropped(true), ...command];
}

/**
 * The program runs as a child of this shell, not as its namespace's process 1, which signals
 * with no handler cannot end (a C program's abort() would not); its standard input is kept.
 */
const AS_CHILD = ["sh", "-c", 'exec 3<&0; "$@" <&3 3<&- & wait $!', "sh"];

/** `command` in a PID namespace alone, without --sandbox: all it starts, setsid too, ends with it. */
export function ownProcesses(command: string[]): string[] {
  const user = asRoot() ? [] : USER_NAMESPACE;
  const namespaces = [...user, "--pid", "--fork", "--kill-child", "--mount", "--mount-proc"];
  return ["unshare", ...namespaces, "--", ...AS_CHILD, ...command];
}

/** The checker's command in a network namespace of its own, with its loopback up. */
export function inOwnNetwork(command: string[]): string[] {
  const user = asRoot() ? [] : USER_NAMESPACE;
  return [
    "unshare",
    ...user,
    "--net",
    "--",
    "sh",
    "-c",
    'ip link set lo up && exec "$@"',
    "sh",
    ...command,
  ];
}

let unavailable: string | undefined | null = null;

/** Why this machine cannot sandbox, or undefined: tried once, with `true` in both layers. */
export function sandboxUnavailable(): string | undefined {
  if (unavailable !== null) return unavailable;
  if (process.platform !== "linux") {
    unavailable = `it needs Linux namespaces, and this is ${process.platform}`;
    return unavailable;
  }
  const folder = mkdtempSync(join(tmpdir(), "socket-lessons-probe-"));
  try {
    const [copy, stage] = [join(folder, "copy"), join(folder, "stage")];
    for (const each of [copy, stage]) mkdirSync(each);
    const plan = planFor(copy, {
      stage,
      repository: folder,
      classFolder: folder,
      tmpBytes: 1 << 20,
    });
    const [file = "", ...args] = inOwnNetwork(jailed(["true"], plan));
    const probe = spawnSync(file, args, { encoding: "utf8" });
    unavailable =
      probe.status === 0
        ? undefined
        : `unshare could not make the namespaces (${(probe.error?.message ?? probe.stderr).trim()})`;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return unavailable;
}

let alone: boolean | undefined;

/** Whether a program can have a PID namespace of its own here (ownProcesses), tried once. */
export function ownProcessesAvailable(): boolean {
  if (process.platform !== "linux") return false;
  const [file = "", ...args] = ownProcesses(["true"]);
  alone ??= spawnSync(file, args, { stdio: "ignore" }).status === 0;
  return alone;
}
