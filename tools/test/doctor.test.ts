// `npm run doctor`, as a student runs it: all well here, and a held lesson port is found.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { test } from "node:test";
import { repositoryRoot } from "../src/lessons.ts";
import { runProcess } from "../src/process.ts";

const doctor = () =>
  runProcess(process.execPath, ["--import", "tsx", "tools/src/doctor.ts"], { cwd: repositoryRoot });

test("the doctor finds nothing wrong here and exits 0", async () => {
  const result = await doctor();
  assert.equal(result.code, 0, result.stdout.join("\n"));
  assert.match(result.stdout.join("\n"), /^ok {3}Node v\d+\.\d+\.\d+ meets /m);
  assert.match(result.stdout.join("\n"), /^ok {3}localhost resolves to /m);
  assert.match(result.stdout.join("\n"), /^ok {3}Lesson 3's TCP port 6003 is free\.$/m);
  assert.equal(result.stdout.at(-1), "All is well.");
});

test("a held lesson port is a problem with a fix, and exit 1", async (t) => {
  const holder = createServer().listen(6003, "127.0.0.1");
  await once(holder, "listening");
  t.after(() => holder.close());
  const result = await doctor();
  assert.equal(result.code, 1);
  const output = result.stdout.join("\n");
  assert.match(
    output,
    /^FIX {2}Lesson 3's TCP port 6003 is taken on 127\.0\.0\.1 \(EADDRINUSE\)\.$/m,
  );
  assert.match(output, /--port <another>/);
  assert.equal(result.stdout.at(-1), "1 problem(s) found.");
});
