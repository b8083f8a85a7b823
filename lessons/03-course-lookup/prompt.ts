// Where the client's course name comes from when it is not an argument: a prompt on a terminal,
// like the seed's input("CourseName:"), else the first line of piped input.
import { createInterface } from "node:readline/promises";
import { clientUsage } from "./flags.ts";

export async function readCourseName(): Promise<string> {
  const input = createInterface({ input: process.stdin, output: process.stdout });
  try {
    if (process.stdin.isTTY) {
      // On a terminal, readline takes Ctrl+C for itself: make it end the program as usual.
      input.on("SIGINT", () => process.exit(130));
      return await input.question("CourseName:").catch(() => "");
    }
    // Git Bash's terminal (mintty, with MSYSTEM set) gives programs a pipe, not a terminal: the
    // student is typing there too, so ask, on stderr, leaving piped output as it was.
    if (process.env.MSYSTEM !== undefined) process.stderr.write("CourseName:");
    // question() on piped input can lose lines; iterating reads them in order and ends at EOF.
    for await (const line of input) return line;
    return "";
  } finally {
    input.close();
  }
}

/** No name at all: say how to give one, and exit 2. */
export function exitIfEmpty(course: string): void {
  if (course.trim() !== "") return;
  console.error(`No course name given. Try: npm run lesson:3:client -- python\n\n${clientUsage}`);
  process.exit(2);
}
