// What makes this lesson's copy of these helpers its own: its number, default port and transport,
// read from the "lesson" entry of its package.json. Every file in this folder is the same in
// every lesson; only package.json differs.
import { readFileSync } from "node:fs";

interface LessonIdentity {
  number: number;
  defaultPort: number;
  transport: "TCP" | "UDP";
}

const manifest = new URL("../package.json", import.meta.url);
const { lesson } = JSON.parse(readFileSync(manifest, "utf8")) as { lesson: LessonIdentity };

export const LESSON = lesson.number;
export const DEFAULT_PORT = lesson.defaultPort;
export const TRANSPORT = lesson.transport;
