// `npm run doctor [-- --ports 7001,7002,7003,7004]`: checks this machine for what the lessons
// need, and prints a fix for each problem. Exit 0 when all is well, 1 otherwise. --ports checks
// those ports, in lesson order, instead of each lesson's default.
import { createSocket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { parseArgs } from "node:util";
import { identityOf, lessons, repositoryRoot, sceneOf } from "../lib/lessons.ts";

const usage = `Usage: npm run doctor [-- --ports <port,port,...>]

Checks Node, localhost, each lesson's port and privileged ports, and prints a fix for each problem.
  --ports  the ports to check, in lesson order (default: each lesson's default port)`;

/** The ports to check, by lesson number: --ports in lesson order, else each lesson's default. */
function portsToCheck(): number[] {
  let ports: string | undefined;
  try {
    const { values } = parseArgs({
      options: { ports: { type: "string" }, help: { type: "boolean", default: false } },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    ports = values.ports;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (ports === undefined) {
    return lessons.map((lesson) => identityOf(lesson).defaultPort);
  }
  const list = ports.split(",").map((port) => (/^\d+$/.test(port) ? Number(port) : NaN));
  if (list.length !== lessons.length || !list.every((port) => port >= 1 && port <= 65535)) {
    console.error(
      `--ports must be ${lessons.length} ports from 1 to 65535, one per lesson, separated by commas, not "${ports}".\n\n${usage}`,
    );
    process.exit(2);
  }
  return list;
}

const ports = portsToCheck();
let problems = 0;
function ok(message: string): void {
  console.log(`ok   ${message}`);
}
function problem(message: string, fix: string): void {
  problems += 1;
  console.log(`FIX  ${message}\n     ${fix}`);
}

/** Whether we may listen on address:port now; resolves to the error code, or undefined. */
async function tryListen(transport: "tcp" | "udp", address: string, port: number) {
  const socket =
    transport === "tcp"
      ? createServer().listen({ host: address, port })
      : createSocket(address.includes(":") ? "udp6" : "udp4").bind({ address, port });
  try {
    await once(socket, "listening");
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "unknown";
  } finally {
    socket.close();
  }
}

// Node's version against the root package.json's engines field (">=20.19").
const engines = (
  JSON.parse(readFileSync(`${repositoryRoot}/package.json`, "utf8")) as {
    engines: { node: string };
  }
).engines.node;
const [needMajor = 0, needMinor = 0] = engines.replace(/^>=/, "").split(".").map(Number);
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major > needMajor || (major === needMajor && minor >= needMinor)) {
  ok(`Node ${process.version} meets the lessons' need of ${engines}.`);
} else {
  problem(
    `Node ${process.version} is older than the lessons need (${engines}).`,
    "Install the current LTS from https://nodejs.org, or run `nvm install` here (.nvmrc).",
  );
}

// What `localhost` means here, and in which order a Node client tries the addresses.
const localhost = await lookup("localhost", { all: true }).catch(() => []);
if (localhost.length === 0) {
  problem("`localhost` does not resolve here.", "Add `127.0.0.1 localhost` to your hosts file.");
} else {
  const order = localhost.map((entry) => entry.address).join(", then ");
  ok(
    `localhost resolves to ${order}. Node clients try them in that order; the lessons' servers ` +
      `listen on both 127.0.0.1 and ::1, so either works. Python's default socket is IPv4-only.`,
  );
  const notLoopback = localhost.filter(({ address }) => !/^(127\.|::1$)/.test(address));
  if (notLoopback.length > 0) {
    problem(
      `localhost also resolves to ${notLoopback.map((entry) => entry.address).join(", ")}, which is not loopback.`,
      "Fix the localhost lines in your hosts file so they name only 127.0.0.1 and ::1.",
    );
  }
}

// Each lesson's port, on both loopback addresses.
for (const [index, lesson] of lessons.entries()) {
  const { transport } = sceneOf(lesson);
  const port = ports[index] ?? 0;
  const busy: string[] = [];
  for (const address of ["127.0.0.1", "::1"]) {
    const code = await tryListen(transport, address, port);
    if (code === "EADDRINUSE" || code === "EACCES") busy.push(`${address} (${code})`);
  }
  if (busy.length === 0) {
    ok(`Lesson ${lesson.number}'s ${transport.toUpperCase()} port ${port} is free.`);
  } else {
    problem(
      `Lesson ${lesson.number}'s ${transport.toUpperCase()} port ${port} is taken on ${busy.join(" and ")}.`,
      `Stop whatever uses it (perhaps a lesson ${lesson.number} server in another terminal), or run the lesson with --port <another>.`,
    );
  }
}

// Ports below 1024: the seed's 50, 60 and 80.
const privileged = await tryListen("tcp", "127.0.0.1", 80);
if (privileged === "EACCES") {
  ok(
    "Ports below 1024 need privileges here, which is why the lessons use 5002 to 6004, not the seed's 50, 60 and 80.",
  );
} else {
  ok(
    "Ports below 1024 do not need privileges here (Windows, a recent macOS, or an administrator), but they do on most Linux machines; the lessons stay above 1024.",
  );
}

console.log(problems === 0 ? "\nAll is well." : `\n${problems} problem(s) found.`);
process.exitCode = problems === 0 ? 0 : 1;
