// Lesson 3's server written another way, as a student might: plain node:net, one closure per
// connection holding its own buffer, no Connection or MessageSplitter class. It is correct, so
// the lesson's steps must pass it (tools/test/exercises.test.ts): a step that needs the lesson's
// own helpers, or wording that the README does not show, would fail it.
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { TextDecoder } from "node:util";
import { clientName, formatAddress } from "./common/address.ts";
import { failAt } from "./common/errors.ts";
import { escapeText } from "./common/escape.ts";
import { addressesOf, closeAll, listen } from "./common/listen.ts";
import { stopSignal } from "./common/shutdown.ts";
import { loadCatalogOrExit, NOT_AVAILABLE } from "./catalog.ts";
import { serverOptions } from "./flags.ts";

const MAX_REQUEST = 1024;
const options = serverOptions();
const catalog = loadCatalogOrExit(options.catalog);
const open = new Set<Socket>();
let answered = 0;

function handle(socket: Socket): void {
  const who = clientName(socket);
  socket.on("error", () => socket.destroy());
  if (open.size >= options.maxConnections) {
    console.log(`${who}: refused, server busy`);
    socket.end("server busy\n");
    socket.resume();
    return;
  }
  open.add(socket);
  socket.on("close", () => open.delete(socket));
  let buffer = Buffer.alloc(0); // This connection's bytes that are not a whole request yet.
  let pause: NodeJS.Timeout | undefined;

  const reply = (request: Buffer) => {
    let course: string | undefined;
    try {
      course = new TextDecoder("utf-8", { fatal: true }).decode(request);
    } catch {
      course = undefined;
    }
    const found = course === undefined ? undefined : catalog.get(course.trim().toLowerCase());
    console.log(
      `${who} asked for "${escapeText(course ?? "?")}": ${found ? "found" : "not found"}`,
    );
    answered += 1;
    socket.write(`${found ?? NOT_AVAILABLE}\n`);
  };
  const tooLong = () => {
    buffer = Buffer.alloc(0);
    socket.removeAllListeners("data");
    socket.end(`error: a request may be at most ${MAX_REQUEST} bytes\n`);
  };

  socket.setTimeout(options.idleTimeoutMs, () => {
    console.log(`${who}: silent for ${options.idleTimeoutMs / 1000} s, closing`);
    socket.destroy();
  });
  socket.on("data", (chunk: Buffer) => {
    clearTimeout(pause);
    buffer = Buffer.concat([buffer, chunk]);
    let newline: number;
    while ((newline = buffer.indexOf("\n")) !== -1) {
      let line = buffer.subarray(0, newline);
      buffer = buffer.subarray(newline + 1);
      if (line.at(-1) === 0x0d) line = line.subarray(0, -1);
      if (line.length > MAX_REQUEST) return tooLong();
      reply(line);
    }
    if (buffer.length > MAX_REQUEST) return tooLong();
    if (buffer.length > 0) {
      pause = setTimeout(() => {
        reply(buffer);
        buffer = Buffer.alloc(0);
      }, options.pauseMs);
    }
  });
  socket.on("end", () => {
    clearTimeout(pause);
    if (buffer.length > 0) reply(buffer);
    buffer = Buffer.alloc(0);
    socket.end();
  });
}

const stopped = stopSignal();
const servers = await listen(
  () => createServer({ allowHalfOpen: true }, handle),
  options.host,
  options.port,
).catch(failAt(formatAddress(options.host ?? "localhost", options.port)));
if (servers !== undefined) {
  console.log(`Server is running on ${addressesOf(servers)}`);
  await once(stopped, "abort");
  closeAll(servers);
  for (const socket of open) socket.end();
  await Promise.race([
    Promise.all([...open].map((socket) => once(socket, "close"))),
    once(AbortSignal.timeout(1500), "abort"),
  ]);
  const cutOff = open.size;
  for (const socket of open) socket.destroy();
  console.log(
    `Server stopped after answering ${answered} request(s); ${cutOff} connection(s) had to be cut off.`,
  );
}
