// Two test hosts on one Linux machine: network namespaces joined by a veth pair, so a lesson can
// be tested across a real network link. Needs Linux, root and `ip netns`.
import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";

export interface Host {
  namespace: string;
  address: string;
}

function ip(args: string[]): void {
  const result = spawnSync("ip", args, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`ip ${args.join(" ")}: ${result.stderr || result.error}`);
}

/** The reason two hosts cannot be made here, or false when they can. */
export const cannotMakeHosts = ((): string | false => {
  if (process.platform !== "linux") return "two hosts need Linux network namespaces";
  if (userInfo().uid !== 0) return "two hosts need root, to create network namespaces";
  if (spawnSync("ip", ["netns", "list"]).status !== 0) return "`ip netns` is not available";
  return false;
})();

/**
 * Creates hosts A (10.77.0.1) and B (10.77.0.2) on a private link of their own. Addresses live
 * inside the namespaces only, so parallel runs do not collide. Call `remove` when done.
 */
export function makeTwoHosts(): { a: Host; b: Host; remove: () => void } {
  const tag = `sl${process.pid}`;
  const a = { namespace: `${tag}a`, address: "10.77.0.1" };
  const b = { namespace: `${tag}b`, address: "10.77.0.2" };
  const remove = () => {
    // Deleting a namespace also deletes its end of the veth pair, and so the pair.
    for (const host of [a, b]) spawnSync("ip", ["netns", "del", host.namespace]);
  };
  try {
    ip(["netns", "add", a.namespace]);
    ip(["netns", "add", b.namespace]);
    ip(["link", "add", `${tag}va`, "type", "veth", "peer", "name", `${tag}vb`]);
    for (const [host, link] of [
      [a, `${tag}va`],
      [b, `${tag}vb`],
    ] as const) {
      ip(["link", "set", link, "netns", host.namespace]);
      ip(["-n", host.namespace, "addr", "add", `${host.address}/24`, "dev", link]);
      ip(["-n", host.namespace, "link", "set", link, "up"]);
      ip(["-n", host.namespace, "link", "set", "lo", "up"]);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { a, b, remove };
}

/** The command line that runs a program inside a host. */
export function onHost(host: Host, command: string, args: string[]): [string, string[]] {
  return ["ip", ["netns", "exec", host.namespace, command, ...args]];
}
