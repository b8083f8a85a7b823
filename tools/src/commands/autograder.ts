// `npm run autograder -- <lesson> --server "<command>"`: a Gradescope autograder for that lesson
// and role, as autograder.zip in the folder it is typed in (autograder/ holds what goes in it).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { autograderZip, packagesFor } from "../autograder/bundle.ts";
import { CLASS_FLAGS, CLASS_USAGE, classSettings, lessonNamed } from "../class/flags.ts";
import { lessons } from "../lib/lessons.ts";

const usage = `Usage: npm run autograder -- <lesson> [--server "<command>" | --client "<command>" | --role <role>]
                      [--has <features>] [--apt <packages>] [--output <file>] [--time-limit <seconds>]
                      [--memory <size>] [--processes <n>] [--cpu-time <seconds>] [--file-size <size>]

  Writes a Gradescope autograder (Ubuntu 22.04): upload the zip as the assignment's
  configuration. Each submission is checked with this lesson's steps, sandboxed where the
  container allows, as the user nobody, and scored a point per step that applies.

  <lesson>       1 to ${lessons.length}, or the lesson's folder name
  --server, --client  the command every submission runs with ({port} and {host} filled in per
                 step), run in the submission's folder; with none, each one's own files say
                 (run.sh, server.py, server.c, ...), as with npm run check --each
  --has          features of the lesson's own programs that the submissions must have too
  --apt          more Ubuntu packages for setup.sh to install, in quotes: "socat openjdk-17-jdk"
                 (the command's own, such as python3 for "python3 ...", are installed already)
  --output       the zip's name (default: autograder.zip)
${CLASS_USAGE}`;

const typedIn = process.env.INIT_CWD ?? process.cwd();
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      ...CLASS_FLAGS,
      server: { type: "string" },
      client: { type: "string" },
      has: { type: "string" },
      apt: { type: "string", default: "" },
      output: { type: "string", default: "autograder.zip" },
      help: { type: "boolean" },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [lessonWord, ...extra] = positionals;
const lesson = lessonNamed(lessons, lessonWord);
const settings = classSettings(values);
if (lesson === undefined) {
  fail(
    lessonWord === undefined
      ? "Say which lesson"
      : `There is no lesson ${JSON.stringify(lessonWord)}`,
  );
}
if (extra.length > 0) {
  fail(
    `${JSON.stringify(extra[0])} is not a flag: put a command in quotes, --server "python3 server.py {port}"`,
  );
}
if (values.server !== undefined && values.client !== undefined)
  fail("Give --server or --client, not both");
if (typeof settings === "string") fail(settings);

const command = values.server ?? values.client;
const packages = packagesFor(command, values.apt.split(/\s+/));
const zip = await autograderZip(
  lesson,
  {
    lesson: { number: lesson.number, name: lesson.name },
    role: settings.role,
    command,
    has: values.has,
    limits: settings.limits,
    timeLimitMs: settings.timeLimitMs,
  },
  packages,
);
const output = resolve(typedIn, values.output);
writeFileSync(output, zip);
console.log(
  `Wrote ${output} (${(zip.length / 1024).toFixed(0)} KiB): lesson ${lesson.number}'s ${settings.role}, ${command === undefined ? "each submission's own command" : `run with ${command}`}; setup.sh installs Node and ${packages.join(", ") || "no other package"}. Upload it in Gradescope as a programming assignment's autograder (Ubuntu 22.04).`,
);

function fail(sentence: string): never {
  console.error(`${sentence}.\n${usage}`);
  process.exit(2);
}
