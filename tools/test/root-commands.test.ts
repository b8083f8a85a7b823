// Every lesson driven through the commands a student types at the repository root:
// `npm run lesson:N:server -- --port 0`, then `npm run lesson:N:client -- --port P ...`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import {
  lessons,
  npmCommandLine,
  portFrom,
  readyLine,
  repositoryRoot,
  sceneOf,
} from "../src/lib/lessons.ts";
import { startNpm } from "../src/lib/lessons.ts";
import { freePort, listenOnFreePort } from "../src/lib/ports.ts";
import { runProcess, startProcess } from "../src/lib/process.ts";

const posix = process.platform !== "win32";

function npmRun(script: string, args: string[]) {
  // A process group of its own, so Ctrl+C reaches npm and the program, as in a terminal.
  return startNpm(["run", script, "--", ...args], { detached: posix });
}

/** Holds a port on 127.0.0.1 until the test ends, as another program would. */
async function holdPort(t: TestContext, transport: "tcp" | "udp"): Promise<number> {
  if (transport === "udp") {
    const socket = createSocket("udp4").bind(0, "127.0.0.1");
    await once(socket, "listening");
    t.after(() => socket.close());
    return socket.address().port;
  }
  const { server, port } = await listenOnFreePort();
  t.after(() => server.close());
  return port;
}

for (const lesson of lessons) {
  const scene = sceneOf(lesson);
  const n = lesson.number;

  describe(`lesson ${n} through npm run lesson:${n}:*`, { timeout: 120_000 }, () => {
    test("the seed's transcript on both sides, the exit codes, and Ctrl+C", async () => {
      const server = npmRun(`lesson:${n}:server`, ["--port", "0"]);
      try {
        const port = portFrom(await server.waitForLine(readyLine));
        const client = npmRun(`lesson:${n}:client`, ["--port", port, ...(scene.clients[0] ?? [])]);
        assert.equal(await client.exit(), 0, client.stderr.join("\n"));
        assert.ok(
          client.stdout.some((line) => scene.expect.test(line)),
          client.stdout.join("\n"),
        );
        const served = {
          1: /^Connection accepted from /,
          2: /^Sent Hello Client to /,
          3: /asked for "python": found$/,
          4: /^Happy Birth Day Server from /,
        }[n];
        if (served) await server.waitForLine(served);
        if (scene.loops) {
          if (!posix) return; // Windows has no Ctrl+C to send to a process group.
          server.interrupt();
          // npm itself ends by the same SIGINT (null here; a shell shows 130), as in a terminal;
          // what counts is that the program stopped cleanly: its last line, nothing on stderr.
          assert.ok([0, null].includes(await server.exit(5_000)));
          assert.match(server.stdout.at(-1) ?? "", /stopped/);
          assert.deepEqual(
            server.stderr.filter((line) => !line.startsWith("npm warn")),
            [],
          );
        } else {
          assert.equal(await server.exit(), 0);
        }
      } finally {
        server.killTree();
      }
    });

    if (scene.transport === "tcp") {
      test("client with no server: the contract's sentence, exit 1", async () => {
        const port = String(await freePort());
        const client = npmRun(`lesson:${n}:client`, [
          "--host",
          "127.0.0.1",
          "--port",
          port,
          ...(scene.clients[0] ?? []),
        ]);
        assert.equal(await client.exit(), 1);
        assert.ok(
          client.stderr.some(
            (line) =>
              line.startsWith(`No server is running on 127.0.0.1:${port}.`) &&
              line.includes(`npm run lesson:${n}:server`),
          ),
          client.stderr.join("\n"),
        );
      });
    }

    test("port in use: one sentence naming the port, exit 1", async (t) => {
      const port = await holdPort(t, scene.transport);
      const server = npmRun(`lesson:${n}:server`, ["--port", String(port)]);
      assert.equal(await server.exit(), 1);
      assert.ok(
        server.stderr.some((line) =>
          new RegExp(`^(UDP )?[Pp]ort ${port} is already in use`).test(line),
        ),
        server.stderr.join("\n"),
      );
    });

    test("a bad flag: what is wrong, the usage, exit 2", async () => {
      for (const program of ["server", "client"]) {
        const run = npmRun(`lesson:${n}:${program}`, ["--bogus"]);
        assert.equal(await run.exit(), 2, `${program}: ${run.stderr.join("\n")}`);
        assert.ok(run.stderr.some((line) => line.includes("--bogus")));
        assert.ok(run.stderr.some((line) => line.startsWith("Usage:")));
      }
    });

    test("flags without npm's --: the program says npm took them, and the command that works", async () => {
      // As typed without --, or in Windows PowerShell where npm 10's shim drops the --.
      const run = startNpm(["run", `lesson:${n}:server`, "--port", "7"], { detached: posix });
      assert.equal(await run.exit(), 2, run.stderr.join("\n"));
      const said = run.stderr.find((line) => line.startsWith("npm took")) ?? run.stderr.join("\n");
      assert.ok(
        said.startsWith(
          `npm took --port 7 for itself, so it never reached this program: put -- between the script and the program's flags, npm run lesson:${n}:server -- --port 7.`,
        ),
        said,
      );
      assert.ok(said.includes(`npm run lesson:${n}:server '--' --port 7.`), said);
    });
  });
}

describe("lesson 3's CourseName: prompt, typed in a terminal", { timeout: 60_000 }, () => {
  // util-linux `script` gives the program a pseudo-terminal, so the client sees a TTY and
  // prompts, exactly as when a student types; Node has no pseudo-terminal of its own.
  const noTerminal = !hasScript() && "needs util-linux `script` (Linux) for a pseudo-terminal";
  test("prompts, takes the typed name, prints the reply", { skip: noTerminal }, async (t) => {
    const server = npmRun("lesson:3:server", ["--port", "0"]);
    t.after(() => {
      server.interrupt();
    });
    const port = portFrom(await server.waitForLine(readyLine));
    const command = npmCommandLine(["run", "lesson:3:client", "--", "--port", port]);
    const terminal = startProcess("script", ["-qec", command, "/dev/null"], {
      cwd: repositoryRoot,
      keepStdin: true,
    });
    await terminal.waitForOutput(/CourseName:/);
    terminal.child.stdin?.end("python\n");
    assert.equal(await terminal.exit(), 0);
    // npm draws a spinner on a terminal, so look for the reply among the lines.
    const reply = "CourseName:Python,Duration:1Year,Fee=4000";
    assert.ok(
      terminal.stdout.some((line) => line.includes(reply)),
      terminal.stdout.join("\n"),
    );
    await server.waitForLine(/asked for "python": found$/);
  });
});

function hasScript(): boolean {
  return process.platform === "linux" && spawnSync("script", ["--version"]).status === 0;
}

test("--help on every root command prints its usage alone, and runs nothing", async () => {
  const { scripts } = JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const commands = Object.entries(scripts).flatMap(([script, line]) => {
    const file = /^tsx (\S+)/.exec(line)?.[1];
    return file === undefined ? [] : [{ script, file }];
  });
  assert.ok(commands.length >= 20, `${commands.length} commands through tsx`);
  for (const { script, file } of commands) {
    // The script's own file, as npm runs it, without npm's start-up for each of thirty commands.
    const ran = await runProcess(process.execPath, ["--import", "tsx", file, "--help"], {
      cwd: repositoryRoot,
      timeoutMs: 30_000,
    });
    assert.equal(ran.code, 0, `npm run ${script} -- --help: ${ran.stderr.join("\n")}`);
    assert.match(ran.stdout[0] ?? "", /^Usage: /, `npm run ${script} -- --help`);
    assert.deepEqual(ran.stderr, [], `npm run ${script} -- --help said on stderr`);
  }
});
