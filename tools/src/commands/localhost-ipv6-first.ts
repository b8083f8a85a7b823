// Runs a command as macOS and Windows resolve `localhost`: ::1 first, then 127.0.0.1. On Linux
// the command gets a private /etc/hosts (a bind mount in a mount namespace of its own, through
// util-linux `unshare`), so every program it starts sees the same: Node, Python, nc.
// Run it: npm run localhost-ipv6-first -- COMMAND [ARGS...]
import { spawnSync } from "node:child_process";
import { lookup } from "node:dns/promises";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { usageOnHelp } from "../lib/help.ts";
import { temporaryFolder } from "../../shared/check/temporary.ts";

/** A command and its arguments, ready for spawn(). */
export type CommandLine = [string, ...string[]];

export type Ipv6First =
  | {
      wrap: (command: CommandLine) => CommandLine;
      /** This system resolves it so itself (macOS, Windows): a plain run is that run. */
      already?: boolean;
      skip?: undefined;
    }
  | { skip: string };

/**
 * How to run a command with `localhost` resolving to ::1 first here, or why it cannot be done.
 * Found once per process.
 */
export function localhostIpv6First(): Promise<Ipv6First> {
  found ??= find();
  return found;
}
let found: Promise<Ipv6First> | undefined;

async function find(): Promise<Ipv6First> {
  const [first] = await lookup("localhost", { all: true });
  if (first?.family === 6) return { wrap: (command) => command, already: true };
  if (process.platform !== "linux") {
    return {
      skip: `localhost resolves to ${first?.address} first here, and only Linux can change that for one command`,
    };
  }
  const folder = temporaryFolder("hosts");
  process.once("exit", () => {
    rmSync(folder, { recursive: true, force: true });
  });
  const hosts = join(folder, "hosts");
  const others = readFileSync("/etc/hosts", "utf8")
    .split("\n")
    .filter((line) => !/^\s*::1\s/.test(line));
  writeFileSync(hosts, ["::1 localhost", ...others].join("\n"), { mode: 0o644 });
  // As root, a mount namespace; as anyone else, inside a user namespace that maps them to root.
  const asRoot = process.getuid?.() === 0 ? [] : ["--user", "--map-root-user"];
  const wrap = (command: CommandLine): CommandLine => [
    "unshare",
    ...asRoot,
    "--mount",
    "--propagation",
    "private",
    "--",
    "sh",
    "-c",
    'mount --bind "$0" /etc/hosts && exec "$@"',
    hosts,
    ...command,
  ];
  const probe = wrap([
    process.execPath,
    "-e",
    "require('dns').lookup('localhost', (e, a) => console.log(a))",
  ]);
  const answer = spawnSync(probe[0], probe.slice(1), { encoding: "utf8" });
  if (answer.error !== undefined || answer.stdout.trim() !== "::1") {
    const why = answer.error?.message ?? (answer.stderr.trim() || answer.stdout.trim());
    return {
      skip: `this machine cannot give one command a private /etc/hosts (unshare --mount: ${why})`,
    };
  }
  return { wrap };
}

// Run directly: the command on the command line, with localhost resolving to ::1 first.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = `Usage: npm run localhost-ipv6-first -- COMMAND [ARGS...]

Runs COMMAND with localhost resolving to ::1 first, then 127.0.0.1, as macOS and Windows do.`;
  usageOnHelp(usage);
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined) {
    console.error(usage);
    process.exit(2);
  }
  const ipv6First = await localhostIpv6First();
  if (ipv6First.skip !== undefined) {
    console.error(`Cannot run it with localhost as ::1 first: ${ipv6First.skip}.`);
    process.exit(1);
  }
  const [program, ...rest] = ipv6First.wrap([command, ...args]);
  const result = spawnSync(program, rest, { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
