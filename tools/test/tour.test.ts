// `npm start`, the tour, run as a student runs it: every lesson's transcript, labelled.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lessons, repositoryRoot } from "../src/lib/lessons.ts";
import { runProcess } from "../src/lib/process.ts";

test("the tour shows every lesson's server and client transcript and exits 0", async () => {
  const tour = await runProcess(
    process.execPath,
    ["--import", "tsx", "tools/src/commands/tour.ts"],
    {
      cwd: repositoryRoot,
      timeoutMs: 60_000,
    },
  );
  assert.equal(tour.code, 0, tour.stderr.join("\n"));
  const output = tour.stdout.join("\n");
  for (const lesson of lessons) assert.match(output, new RegExp(`=== Lesson ${lesson.number}: `));
  assert.match(output, /^server \| Server is running on 127\.0\.0\.1:\d+/m);
  assert.match(output, /^client \| Connected to 127\.0\.0\.1:\d+$/m);
  assert.match(output, /^server \| Connection accepted from 127\.0\.0\.1:\d+$/m);
  assert.match(output, /^server \| Server is Running on 127\.0\.0\.1:\d+/m);
  assert.match(output, /^client \| Hello Client$/m);
  assert.match(output, /^server \| Sent Hello Client to 127\.0\.0\.1:\d+$/m);
  for (const reply of [
    "CourseName:Python,Duration:1Year,Fee=4000",
    "CourseName:C,Duration:2Months,Fee=1000",
    "this course is not available",
  ]) {
    assert.ok(tour.stdout.includes(`client | ${reply}`), reply);
  }
  assert.match(output, /^server \| 127\.0\.0\.1:\d+ asked for "C\+\+": not found$/m);
  assert.match(output, /^server \| Receiver is running on 127\.0\.0\.1:\d+/m);
  assert.match(output, /^client \| Sent 22 bytes to 127\.0\.0\.1:\d+ from \d+$/m);
  assert.match(output, /^server \| Happy Birth Day Server from 127\.0\.0\.1:\d+$/m);
  assert.match(
    output,
    /^server \| Burst from 127\.0\.0\.1:\d+: 1000 expected, \d+ arrived, \d+ lost/m,
  );
  assert.match(output, /Tour complete/);
});
