// `npm run exercise -- <lesson> <folder>`: writes a lesson as an exercise. The folder is the
// lesson as `npm run copy` makes it, except that each statement below a `// Python:` comment in
// server.ts and client.ts is a hole: a TODO comment that says what to write and which Node API
// does it, and a todo() call that stops the program with a sentence naming the hole. The
// lesson's own code is the one source of both the solution and the holes, so they cannot drift.
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { fadedAtLevel2, holes, type Faded, type Hole } from "../../exercises/holes.ts";
import { copyLessonTo, lessonToFolder } from "./copy-lesson.ts";
import type { Lesson } from "../lib/lessons.ts";

/** The files whose marked lines become holes. */
export const exerciseFiles = ["server.ts", "client.ts"];

/** 1: the guided starter. 2: the same, and what the lesson is about faded too. */
export type Level = 1 | 2;

const todoModule = `// Marks the code you are to write. Each todo() stands where a statement is missing: running
// the program stops there with a sentence that names it. Replace each todo(...) with your code.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- it stands in for any value.
export function todo(where: string, what: string): any {
  console.error(\`\${where} is still to be written: \${what}.\`);
  process.exit(1);
}
`;

/** Stands for the line number of the hole made at `id` until the file's lines are final. */
const lineOf = (id: number) => `@@line:${id}@@`;
const LINE_MARKER = /@@line:(\d+)@@/;

/** The Python lines in the comments right above `node`, without the `// Python:` prefix. */
function pythonLines(source: string, node: ts.Node): string[] {
  const comments = ts.getLeadingCommentRanges(source, node.getFullStart()) ?? [];
  return comments
    .map((range) => /^\/\/ Python:\s*(.*)$/.exec(source.slice(range.pos, range.end))?.[1])
    .filter((line): line is string => line !== undefined);
}

function holeFor(lesson: Lesson, file: string, firstLine: string): Hole {
  const key = `${file} ${firstLine.trim()}`;
  const hole = holes[`${lesson.number} ${key}`] ?? holes[key];
  if (hole === undefined) {
    throw new Error(
      `tools/exercises/holes.ts has no entry for "${key}" (lesson ${lesson.number}).`,
    );
  }
  return hole;
}

/** Words in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === "" ? word : `${current} ${word}`;
    }
  }
  return [...lines, current];
}

/** The statement, with its value (or all of it) replaced by todo(). */
function replacement(statement: ts.Statement, call: string): string {
  if (ts.isVariableStatement(statement)) {
    const list = statement.declarationList;
    const [declaration] = list.declarations;
    if (list.declarations.length === 1 && declaration?.initializer !== undefined) {
      const keyword = list.flags & ts.NodeFlags.Const ? "const" : "let";
      const type = declaration.type === undefined ? "" : `: ${declaration.type.getText()}`;
      return `${keyword} ${declaration.name.getText()}${type} = ${call};`;
    }
  }
  if (
    ts.isExpressionStatement(statement) &&
    ts.isBinaryExpression(statement.expression) &&
    statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
  ) {
    return `${statement.expression.left.getText()} = ${call};`;
  }
  return `${call};`;
}

/** The TODO comment and todo() call of one hole, indented like the statement it replaces. */
function todoLines(
  file: string,
  todo: string,
  indent: string,
  id: number,
): { comment: string[]; call: string } {
  const call = `todo(${JSON.stringify(`${file} line ${lineOf(id)}`)}, ${JSON.stringify(todo)})`;
  const comment = wrap(`TODO: ${todo}.`, 96 - indent.length).map((line, index) =>
    index === 0 ? `// ${line}` : `${indent}//   ${line}`,
  );
  return { comment: [...comment, `${indent}//   Stuck? npm run hint`], call };
}

/**
 * A hole's hints, rung by rung: the plan in words only; the plan with the lesson's helpers and
 * the Node API, with its docs; the lesson's own lines.
 */
function rungs(hole: Hole, lines: string): string[] {
  return [
    hole.plan,
    `${hole.what}. Node API: ${hole.api}. Its documentation: ${hole.docs}`,
    `The lesson's own code here:\n${lines}`,
  ];
}

/** The text with each edit made, from the last to the first. */
function applyEdits(source: string, edits: Edit[]): string {
  let text = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}

/** The function or method named `unit` ("name" or "Class.method"), if the file has it. */
function findUnit(tree: ts.SourceFile, unit: string): ts.FunctionLikeDeclaration | undefined {
  const [owner, member] = unit.includes(".") ? unit.split(".") : [undefined, unit];
  for (const statement of tree.statements) {
    if (owner === undefined && ts.isFunctionDeclaration(statement)) {
      if (statement.name?.text === member) return statement;
    } else if (ts.isClassDeclaration(statement) && statement.name?.text === owner) {
      return statement.members.find(
        (node): node is ts.MethodDeclaration =>
          ts.isMethodDeclaration(node) && node.name.getText() === member,
      );
    }
  }
  return undefined;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** The hole's TODO and hints, for `npm run hint`. */
  todo: string;
  rungs: string[];
}

/** One hole as `npm run hint` knows it: where its todo() call says it is, and its hints. */
export interface HoleHints {
  where: string;
  todo: string;
  rungs: string[];
}

/** Level 2: each faded unit keeps its doc comment and loses its body to a TODO and todo(). */
function fadeEdits(file: string, tree: ts.SourceFile, units: Faded[]): Edit[] {
  const source = tree.text;
  return units.map((faded) => {
    const { unit, todo } = faded;
    const declaration = findUnit(tree, unit);
    const body = declaration?.body;
    if (declaration === undefined || body === undefined) {
      throw new Error(`${file} has no ${unit} to fade (tools/exercises/holes.ts).`);
    }
    const lineStart = source.lastIndexOf("\n", declaration.getStart()) + 1;
    const outer = " ".repeat(declaration.getStart() - lineStart);
    const indent = `${outer}  `;
    const { comment, call } = todoLines(file, todo, indent, body.getStart());
    const text = ["{", `${indent}${comment.join("\n")}`, `${indent}return ${call};`, `${outer}}`];
    const lines = `${outer}${declaration.getText()}`;
    return {
      start: body.getStart(),
      end: body.getEnd(),
      text: text.join("\n"),
      todo,
      rungs: rungs(faded, lines),
    };
  });
}

/** Level 1: each statement under a `// Python:` comment becomes a TODO and a todo() call. */
function holeEdits(lesson: Lesson, file: string, tree: ts.SourceFile): Edit[] {
  const source = tree.text;
  const edits: Edit[] = [];
  const visit = (node: ts.Node): void => {
    const [first] =
      ts.isBlock(node.parent) || ts.isSourceFile(node.parent) ? pythonLines(source, node) : [];
    if (first === undefined || !ts.isStatement(node)) {
      ts.forEachChild(node, visit);
      return;
    }
    const hole = holeFor(lesson, file, first);
    const start = node.getStart();
    const indent = " ".repeat(start - source.lastIndexOf("\n", start - 1) - 1);
    const { comment, call } = todoLines(file, hole.todo, indent, start);
    const text = [...comment, `${indent}${replacement(node, call)}`].join("\n");
    edits.push({
      start,
      end: node.getEnd(),
      text,
      todo: hole.todo,
      rungs: rungs(hole, `${indent}${node.getText()}`),
    });
  };
  ts.forEachChild(tree, visit);
  return edits;
}

/**
 * One file of the exercise at `level`: its `// Python:` statements as holes, and at level 2 its
 * faded units too (a hole inside a faded unit goes with the body). Throws if a hole has no entry.
 */
export function exerciseText(
  lesson: Lesson,
  file: string,
  source: string,
  level: Level,
): { text: string; hints: HoleHints[] } {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const faded = fadeEdits(file, tree, fadedIn(lesson, file, level));
  const holes = exerciseFiles.includes(file) ? holeEdits(lesson, file, tree) : [];
  const inFaded = (edit: Edit) =>
    faded.some((unit) => edit.start >= unit.start && edit.end <= unit.end);
  const edits = [...faded, ...holes.filter((edit) => !inFaded(edit))];
  const { text, lines } = withTodoImport(file, applyEdits(source, edits));
  const hints = edits
    .toSorted((a, b) => a.start - b.start)
    .map(({ start, todo, rungs }) => ({ where: `${file} line ${lines.get(start)}`, todo, rungs }));
  return { text, hints };
}

/** The units faded in one file of the lesson's exercise at `level`. */
function fadedIn(lesson: Lesson, file: string, level: Level): Faded[] {
  return fadedUnits(lesson, level).filter((unit) => unit.file === file);
}

/**
 * The units an exercise fades: at level 2, what the lesson is about; at both levels, any unit
 * that another lesson's level 2 asks for and this lesson's folder holds too (lesson 1's
 * firstConnection, which lesson 2 uses), so that no folder gives away another's answer.
 */
export function fadedUnits(lesson: Lesson, level: Level): Faded[] {
  const own = level === 2 ? (fadedAtLevel2[lesson.number] ?? []) : [];
  const others = Object.entries(fadedAtLevel2)
    .filter(([number]) => Number(number) !== lesson.number)
    .flatMap(([, units]) => units)
    .filter((unit) => holds(lesson, unit));
  return [...own, ...others];
}

/** Whether the lesson's folder has `unit` in its file. */
function holds(lesson: Lesson, unit: Faded): boolean {
  return unitIn(join(lesson.folder, unit.file), unit.unit) !== undefined;
}

/** The function or method `unit` ("name" or "Class.method") in the file at `path`, if it has it. */
export function unitIn(path: string, unit: string): ts.FunctionLikeDeclaration | undefined {
  if (!existsSync(path)) return undefined;
  const tree = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  return findUnit(tree, unit);
}

/** The files an exercise at `level` leaves for the student to write in. */
export function filesToWrite(lesson: Lesson, level: Level): string[] {
  const files = fadedUnits(lesson, level).map((unit) => unit.file);
  return [...new Set([...exerciseFiles, ...files])];
}

/**
 * With holes in it, the file imports todo(), and each hole learns its own line number; returns
 * the text and the line of each hole, by its id.
 */
function withTodoImport(file: string, text: string): { text: string; lines: Map<number, number> } {
  const lines = new Map<number, number>();
  if (!LINE_MARKER.test(text)) return { text, lines };
  const fileLines = text.split("\n");
  const from = file.startsWith("common/") ? "./todo.ts" : "./common/todo.ts";
  const statement = `import { todo } from "${from}";`;
  if (!fileLines.includes(statement)) {
    const lastImport = fileLines.findLastIndex((line) => line.startsWith("import "));
    fileLines.splice(lastImport + 1, 0, statement);
  }
  const numbered = fileLines.map((line, index) =>
    line.replace(LINE_MARKER, (_marker, id: string) => {
      lines.set(Number(id), index + 1);
      return String(index + 1);
    }),
  );
  return { text: numbered.join("\n"), lines };
}

/** Writes the exercise for `lesson` into `target` (new or empty); returns the number of holes. */
export function writeExercise(lesson: Lesson, target: string, level: Level = 1): number {
  copyLessonTo(lesson, target);
  try {
    return addHoles(lesson, target, level);
  } catch (error) {
    rmSync(target, { recursive: true, force: true });
    throw error;
  }
}

function addHoles(lesson: Lesson, target: string, level: Level): number {
  const hints: HoleHints[] = [];
  for (const file of filesToWrite(lesson, level)) {
    const path = join(target, file);
    const written = exerciseText(lesson, file, readFileSync(path, "utf8"), level);
    hints.push(...written.hints);
    writeFileSync(path, written.text);
  }
  writeFileSync(join(target, "common", "todo.ts"), todoModule);
  addHintCommand(target, hints);
  const count = hints.length;
  const readme = join(target, "README.md");
  writeFileSync(readme, exerciseReadme(readFileSync(readme, "utf8"), lesson, count, level));
  return count;
}

/**
 * `npm run hint` in the exercise: check/hints.json holds each hole's rungs, in the order the
 * holes come in the files, and check/hint.ts reveals them (tools/exercises/hint.ts).
 */
function addHintCommand(target: string, hints: HoleHints[]): void {
  writeFileSync(join(target, "check", "hints.json"), `${JSON.stringify(hints, null, 2)}\n`);
  copyFileSync(
    fileURLToPath(new URL("../../exercises/hint.ts", import.meta.url)),
    join(target, "check", "hint.ts"),
  );
  const manifest = join(target, "package.json");
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { scripts: Record<string, string> };
  pkg.scripts.hint = "node --import tsx check/hint.ts";
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** The lesson's README with the answers taken out and how to work the exercise put in. */
function exerciseReadme(readme: string, lesson: Lesson, count: number, level: Level): string {
  // The table that maps each Python line onto ours would give the answers away.
  const answers = /\nOpen \[`server\.ts`\][\s\S]*?(?=\n## )/;
  const files = filesToWrite(lesson, level).map((file) => `\`${file}\``);
  const named = (units: Faded[]) =>
    units.map((unit) => `\`${unit.unit}\` (in \`${unit.file}\`)`).join(" and ");
  const own = level === 2 ? (fadedAtLevel2[lesson.number] ?? []) : [];
  const others = fadedUnits(lesson, level).filter((unit) => !own.includes(unit));
  const paragraphs = [
    own.length === 0
      ? ""
      : `Level 2: you also write the body of ${named(own)}: what this lesson is about. The comment above each says what it must do, and the tests say whether it does.`,
    others.length === 0
      ? ""
      : `You also write the body of ${named(others)}, which an earlier lesson's level 2 asks for too: the comment above it says what it must do.`,
  ].filter((paragraph) => paragraph !== "");
  const bodies = paragraphs.map((paragraph) => `\n${wrap(paragraph, 96).join("\n")}\n`).join("");
  const intro = `# Exercise: lesson ${lesson.number}${level === 2 ? ", level 2" : ""}

This folder is an exercise. ${files.slice(0, -1).join(", ")} and ${files.at(-1)} have ${count} holes: each is a
\`// TODO:\` comment that says what to do (in \`server.ts\` and \`client.ts\`, under the line
of the Python program that it replaces) and a \`todo(...)\` call that you replace with your code.
${bodies}
\`\`\`sh
npm install
npm test          # which steps pass, and what to do about the first that fails
npm run hint      # stuck? more help with the hole you are at, one hint more each time
npm run watch     # npm test again each time you save a file
npm run typecheck # TypeScript's opinion of your code
\`\`\`

\`npm run hint\` gives, one at a time: the plan in words only, then the same plan with the
helpers this folder has and the Node API that does it, with a link to its documentation, then
the lesson's own lines. Try before you ask: \`npm run report\`
records how many hints each hole took, for your teacher.

The steps go in the order you write the code: listen, accept, receive, reply, and the rest.
Run the programs themselves as the lesson below says (\`npm run server\`, \`npm run client\`).

---

`;
  return intro + inThisFolder(readme.replace(answers, "\n"));
}

/**
 * The README as it reads inside the exercise folder, where the repository is not: the passages
 * marked "repository only" go, the root commands become this folder's own, and a link out of
 * the folder keeps its words.
 */
function inThisFolder(readme: string): string {
  return readme
    .replace(/<!-- repository only -->[\s\S]*?<!-- end of repository only -->\n*/g, "")
    .replace("(also after copying it out and running `npm install`)", "(after `npm install`)")
    .replace(/npm run lesson:\d+:(server|client)/g, "npm run $1")
    .replace(/\[([^\]]*)\]\(\.\.\/[^)]*\)/g, "$1");
}

const usage = `Usage: npm run exercise -- <lesson> <folder> [--level 2]

Writes lesson <lesson> (1-4, or its folder name such as 03-course-lookup) to <folder> as an
exercise: the socket code is left for you to write, and npm test there says what to do next.
--level 2 also leaves out what the lesson is about (lesson 3's framing, for one): you write
those functions from the contract in their comments.`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  lessonToFolder(usage, { level: { type: "string", default: "1" } }, (lesson, target, values) => {
    const level = String(values.level);
    if (level !== "1" && level !== "2") throw new Error(`--level is 1 or 2, not ${level}.`);
    const count = writeExercise(lesson, target, level === "2" ? 2 : 1);
    return `Wrote ${target}: ${count} holes. Next: cd there, npm install, then npm test.`;
  });
}
