// `npm run doctor`, as a student runs it: all well here, and a held lesson port is found. It
// checks ports this test frees or holds itself (--ports), never the lessons' defaults, so a
// lesson server the student has running in another terminal changes nothing here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lessons, repositoryRoot, sceneOf } from "../src/lib/lessons.ts";
import { freePort, freeUdpPort, listenOnFreePort } from "../src/lib/ports.ts";
import { runProcess } from "../src/lib/process.ts";

const doctor = (args: string[]) =>
  runProcess(process.execPath, ["--import", "tsx", "tools/src/commands/doctor.ts", ...args], {
    cwd: repositoryRoot,
  });

/** One port per lesson that was free a moment ago, of the lesson's transport. */
const freePorts = () =>
  Promise.all(
    lessons.map((lesson) => (sceneOf(lesson).transport === "udp" ? freeUdpPort() : freePort())),
  );

test("the doctor finds nothing wrong here and exits 0", async () => {
  const ports = await freePorts();
  const result = await doctor(["--ports", ports.join(",")]);
  const output = result.stdout.join("\n");
  assert.equal(result.code, 0, output);
  assert.match(output, /^ok {3}Node v\d+\.\d+\.\d+ meets /m);
  assert.match(output, /^ok {3}localhost resolves to /m);
  assert.match(output, new RegExp(`^ok {3}Lesson 3's TCP port ${ports[2]} is free\\.$`, "m"));
  assert.equal(result.stdout.at(-1), "All is well.");
});

test("a held lesson port is a problem with a fix, and exit 1", async (t) => {
  const { server: holder, port: held } = await listenOnFreePort();
  t.after(() => holder.close());
  const ports = await freePorts();
  ports[2] = held;
  const result = await doctor(["--ports", ports.join(",")]);
  assert.equal(result.code, 1);
  const output = result.stdout.join("\n");
  assert.match(
    output,
    new RegExp(
      `^FIX {2}Lesson 3's TCP port ${held} is taken on 127\\.0\\.0\\.1 \\(EADDRINUSE\\)\\.$`,
      "m",
    ),
  );
  assert.match(output, /--port <another>/);
  assert.equal(result.stdout.at(-1), "1 problem(s) found.");
});

test("--ports that are not one port per lesson: a sentence and the usage, exit 2", async () => {
  const result = await doctor(["--ports", "6001,abc"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr[0] ?? "", /^--ports must be \d ports from 1 to 65535/);
  assert.ok(result.stderr.some((line) => line.startsWith("Usage:")));
});
