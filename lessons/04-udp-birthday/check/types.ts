// The last step: TypeScript's type check of the lesson's files. tsx and Node run a program
// without checking its types, so a type error would otherwise pass every step; in a TypeScript
// course the types are part of the lesson. The check starts with the steps and runs beside them.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const lessonFolder = fileURLToPath(new URL("..", import.meta.url));

/** One type error, as tsc reports it: `server.ts(12,5): error TS2322: Type ...`. */
export interface TypeCheckError {
  file: string;
  line: number;
  message: string;
  code: string;
}

/** With "1", the type check's step is skipped (tools/test/exercises.test.ts, behaviour mistakes). */
export const SKIP_TYPES = "SOCKET_LESSONS_SKIP_TYPES";

let checking: Promise<TypeCheckError[]> | undefined;

/**
 * What tsc learned last time (--incremental): a run after a save checks again only what the save
 * could change, in half the time, and reports the same errors as a full check. Under
 * node_modules/.cache, where tools keep such files; a file it cannot read is checked from scratch.
 */
const buildInfo = join(
  lessonFolder,
  "node_modules",
  ".cache",
  "socket-lessons",
  "types.tsbuildinfo",
);

/** Starts tsc on the lesson's tsconfig.json (once per run); resolves with its errors. */
export function typeErrors(): Promise<TypeCheckError[]> {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const args = [
    tsc,
    "--noEmit",
    "--pretty",
    "false",
    "--incremental",
    "--tsBuildInfoFile",
    buildInfo,
  ];
  checking ??= promisify(execFile)(process.execPath, args, { cwd: lessonFolder }).then(
    () => [],
    (error: unknown) => {
      // tsc exits 2 when it found errors; any other failure is the checker's, said as it is.
      const errors = parseErrors((error as { stdout?: string }).stdout ?? "");
      if (errors.length === 0) throw error;
      return errors;
    },
  );
  return checking;
}

/** tsc's lines; a message may go on over indented lines, which belong to the error above. */
export function parseErrors(output: string): TypeCheckError[] {
  const errors: TypeCheckError[] = [];
  for (const text of output.split(/\r?\n/)) {
    const found = /^(.+)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(text);
    if (found !== null) {
      const [, file = "", line = "0", code = "", message = ""] = found;
      errors.push({ file: file.replaceAll("\\", "/"), line: Number(line), message, code });
    } else if (text.startsWith(" ") && errors.length > 0) {
      const last = errors[errors.length - 1];
      if (last !== undefined) last.message += `\n${text.trim()}`;
    }
  }
  return errors;
}

/** The errors as a student reads them: file and line first, then TypeScript's words. */
export function describeTypeErrors(errors: TypeCheckError[]): string {
  // The first line of each message: the lines under it elaborate (npm run typecheck has them).
  const shown = errors
    .slice(0, 5)
    .map(
      ({ file, line, message, code }) => `${file} line ${line}: ${firstLine(message)} (${code})`,
    );
  const more = errors.length > shown.length ? [`and ${errors.length - shown.length} more`] : [];
  return [
    `TypeScript found ${errors.length} type error(s); the program may run, but its types are wrong:`,
    ...shown,
    ...more,
  ].join("\n");
}

const firstLine = (message: string) => message.split("\n")[0] ?? message;
