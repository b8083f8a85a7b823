// With no --server or --client, each submission says how it runs by its files: a run.sh the
// student hands in, else the first program found by name (server.py, server.c, ...), with the
// command for its language; a compiled language is built first, in the submission's copy.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Role } from "../../shared/check/under-test.ts";
import { python } from "../lib/python.ts";

/** How one submission runs: its command ({port} filled per step), built first if `build`. */
export interface HowItRuns {
  file: string;
  command: string;
  build?: string[];
}

/** A language: the extension it is found by, the tool it needs, its build and its command. */
interface Language {
  extension: string;
  needs: string;
  build?: (file: string, name: string) => string[];
  run: (file: string, name: string) => string;
}

/**
 * A .ts file as `npm run server` runs it, through tsx; where tsx is not installed (the Gradescope
 * bundle), by Node itself, which strips the types from 22.18 on.
 */
function typescript(): string {
  try {
    return `"${process.execPath}" "${createRequire(import.meta.url).resolve("tsx/cli")}"`;
  } catch {
    return `"${process.execPath}"`;
  }
}

/** In the order a folder is searched; the README lists the same. */
export const LANGUAGES: Language[] = [
  { extension: "sh", needs: "sh", run: (file) => `sh ${file} {port}` },
  {
    extension: "py",
    needs: python?.[0] ?? "python3",
    run: (file) => [...(python ?? ["python3"]), file, "{port}"].join(" "),
  },
  { extension: "js", needs: "node", run: (file) => `"${process.execPath}" ${file} {port}` },
  { extension: "mjs", needs: "node", run: (file) => `"${process.execPath}" ${file} {port}` },
  // This lesson's own way: its flags, through tsx, as `npm run server` runs it.
  {
    extension: "ts",
    needs: "node",
    run: (file) => `${typescript()} ${file} --port {port}`,
  },
  {
    extension: "c",
    needs: "cc",
    build: (file, name) => ["cc", "-O2", "-o", name, file],
    run: (_, name) => `./${name} {port}`,
  },
  {
    extension: "cpp",
    needs: "c++",
    build: (file, name) => ["c++", "-O2", "-o", name, file],
    run: (_, name) => `./${name} {port}`,
  },
  {
    extension: "go",
    needs: "go",
    build: (file, name) => ["go", "build", "-o", name, file],
    run: (_, name) => `./${name} {port}`,
  },
  {
    extension: "rs",
    needs: "rustc",
    build: (file, name) => ["rustc", "-O", "-o", name, file],
    run: (_, name) => `./${name} {port}`,
  },
  {
    extension: "java",
    needs: "javac",
    build: (file) => ["javac", "-d", ".", file],
    run: (_, name) => `java -cp . ${name} {port}`,
  },
];

/** The names a program of `role` may have: ours, the seed's (server3.py, udp_receiver.py). */
function namesFor(role: Role, lesson: number): string[] {
  const seed = role === "server" ? ["udp_receiver", "receiver"] : ["udp_sender", "sender"];
  const base = [role, `${role}${lesson}`, ...(lesson === 4 ? seed : [])];
  // Java's file is named after its class, which starts with a capital by custom.
  return base.flatMap((name) => [name, `${name.charAt(0).toUpperCase()}${name.slice(1)}`]);
}

/** Every file name searched for, in order, for the sentence of a folder with none of them. */
export function searchedNames(role: Role, lesson: number): string[] {
  const [first = role] = namesFor(role, lesson);
  return [
    "run.sh",
    ...LANGUAGES.filter((language) => language.extension !== "sh").map(
      (language) => `${first}.${language.extension}`,
    ),
  ];
}

/** How the submission in `folder` runs as `role`, or a sentence saying why it cannot. */
export function howItRuns(folder: string, role: Role, lesson: number): HowItRuns | string {
  if (existsSync(join(folder, "run.sh"))) return { file: "run.sh", command: "sh run.sh {port}" };
  for (const language of LANGUAGES.filter((each) => each.extension !== "sh")) {
    for (const name of namesFor(role, lesson)) {
      const file = `${name}.${language.extension}`;
      if (!existsSync(join(folder, file))) continue;
      if (!isInstalled(language.needs)) {
        return `${file} needs ${language.needs}, which is not installed on the machine that checks it.`;
      }
      return { file, command: language.run(file, name), build: language.build?.(file, name) };
    }
  }
  const names = searchedNames(role, lesson);
  return `There is no ${names.slice(1, -1).join(", ")} or ${names.at(-1)}, nor a ${names[0]}, in this folder: nothing to run as the ${role}.`;
}

const installed = new Map<string, boolean>();

function isInstalled(tool: string): boolean {
  if (!installed.has(tool)) {
    const probe = spawnSync(tool, tool === "go" ? ["version"] : ["--version"], { stdio: "ignore" });
    installed.set(tool, probe.error === undefined);
  }
  return installed.get(tool) ?? false;
}
