// Correct Python programs at the edges of what a lesson README's "For a program in any language"
// allows, each a small patch of a solution (tools/peers/solutions): tools/test/checker.test.ts
// holds them to every step that applies, and `npm run soak -- --edges` does so 300 times each.
import type { PythonMistake } from "./python-mistakes.ts";

export type PythonEdge = Pick<PythonMistake, "lesson" | "role" | "name" | "file" | "from" | "to">;

export const pythonEdges: PythonEdge[] = [
  {
    lesson: 3,
    role: "server",
    name: "the shortest pause allowed, 0.1 s",
    file: "server3.py",
    from: "PAUSE = 0.5",
    to: "PAUSE = 0.1",
  },
  {
    lesson: 3,
    role: "server",
    name: "the longest pause allowed, 1 s",
    file: "server3.py",
    from: "PAUSE = 0.5",
    to: "PAUSE = 1.0",
  },
];
