// `npm start`: the tour. For each lesson, in order, it starts the server on a free port, runs
// the client against it, and prints both transcripts labelled `server |` and `client |`.
import { usageOnHelp } from "../lib/help.ts";
import { lessons, sceneOf, startLesson, startLessonServer, type Lesson } from "../lib/lessons.ts";

usageOnHelp(`Usage: npm start

The tour: each lesson in order, its server on a free port and its client against it, both
transcripts labelled server | and client |.`);

function show(label: "server" | "client") {
  return (line: string) => {
    console.log(`${label} | ${line}`);
  };
}

async function tour(lesson: Lesson): Promise<void> {
  console.log(`\n=== Lesson ${lesson.number}: ${lesson.name.slice(3)} ===`);
  const { server, port } = await startLessonServer(lesson, [], { onLine: show("server") });
  try {
    const scene = sceneOf(lesson);
    for (const args of scene.clients) {
      const client = await startLesson(lesson, "client", ["--port", port, ...args], {
        onLine: show("client"),
      });
      const code = await client.exit();
      if (code !== 0) throw new Error(`its client exited with code ${code}`);
    }
    if (scene.waitFor) await server.waitForLine(scene.waitFor);
    if (scene.loops) server.child.kill("SIGINT");
    const code = await server.exit();
    if (code !== 0 && process.platform !== "win32") {
      throw new Error(`its server exited with code ${code}`);
    }
  } finally {
    server.child.kill();
  }
}

for (const lesson of lessons) {
  try {
    await tour(lesson);
  } catch (error) {
    console.error(
      `\nThe tour failed at lesson ${lesson.number} (${lesson.name}): ${String(error)}`,
    );
    process.exit(1);
  }
}
console.log(`\nTour complete: ${lessons.length} lesson(s). Run one yourself: see README.md.`);
