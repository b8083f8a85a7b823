// `npm run exercise -- <lesson> <folder>`: writes a lesson as an exercise. The folder is the
// lesson as `npm run copy` makes it, except that each statement below a `// Python:` comment in
// server.ts and client.ts is a hole: a TODO comment that says what to write and which Node API
// does it, and a todo() call that stops the program with a sentence naming the hole. The
// lesson's own code is the one source of both the solution and the holes, so they cannot drift.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { holes, type Hole } from "../exercises/holes.ts";
import { copyLessonTo, lessonToFolder } from "./copy-lesson.ts";
import type { Lesson } from "./lessons.ts";

/** The files whose marked lines become holes. */
export const exerciseFiles = ["server.ts", "client.ts"];

const todoModule = `// Marks the code you are to write. Each todo() stands where a statement is missing: running
// the program stops there with a sentence that names it. Replace each todo(...) with your code.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- it stands in for any value.
export function todo(where: string, what: string): any {
  console.error(\`\${where} is still to be written: \${what}.\`);
  process.exit(1);
}
`;

const LINE = "@@line@@";

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

/** A file's text with its marked statements as holes; throws if a hole has no entry. */
export function withHoles(lesson: Lesson, file: string, source: string): string {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const edits: { start: number; end: number; text: string }[] = [];
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
    const call = `todo(${JSON.stringify(`${file} line ${LINE}`)}, ${JSON.stringify(hole.what)})`;
    const comment = wrap(`TODO: ${hole.what}.`, 96 - indent.length).map((line, index) =>
      index === 0 ? `// ${line}` : `${indent}//   ${line}`,
    );
    const text = [
      ...comment,
      `${indent}//   Node API: ${hole.api}`,
      `${indent}//   ${hole.docs}`,
      `${indent}${replacement(node, call)}`,
    ].join("\n");
    edits.push({ start, end: node.getEnd(), text });
  };
  ts.forEachChild(tree, visit);
  if (edits.length === 0) return source;
  let text = source;
  for (const edit of edits.reverse()) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  // The import goes after the last import; then each hole learns its own line number.
  const lines = text.split("\n");
  const lastImport = lines.findLastIndex((line) => line.startsWith("import "));
  lines.splice(lastImport + 1, 0, 'import { todo } from "./common/todo.ts";');
  return lines.map((line, index) => line.replace(LINE, String(index + 1))).join("\n");
}

/** Writes the exercise for `lesson` into `target` (new or empty); returns the number of holes. */
export function writeExercise(lesson: Lesson, target: string): number {
  copyLessonTo(lesson, target);
  try {
    return addHoles(lesson, target);
  } catch (error) {
    rmSync(target, { recursive: true, force: true });
    throw error;
  }
}

function addHoles(lesson: Lesson, target: string): number {
  let count = 0;
  for (const file of exerciseFiles) {
    const path = join(target, file);
    const text = withHoles(lesson, file, readFileSync(path, "utf8"));
    count += text.split("\n").filter((line) => line.trimStart().startsWith("// TODO:")).length;
    writeFileSync(path, text);
  }
  writeFileSync(join(target, "common", "todo.ts"), todoModule);
  const readme = join(target, "README.md");
  writeFileSync(readme, exerciseReadme(readFileSync(readme, "utf8"), lesson, count));
  return count;
}

/** The lesson's README with the answers taken out and how to work the exercise put in. */
function exerciseReadme(readme: string, lesson: Lesson, count: number): string {
  // The table that maps each Python line onto ours would give the answers away.
  const answers = /\nOpen \[`server\.ts`\][\s\S]*?(?=\n## )/;
  const intro = `# Exercise: lesson ${lesson.number}

This folder is an exercise. \`server.ts\` and \`client.ts\` have ${count} holes: each is a
\`// TODO:\` comment that says what to write and which Node API does it, under the line of the
Python program that it replaces, and a \`todo(...)\` call that you replace with your code.

\`\`\`sh
npm install
npm test          # which steps pass, and what to do about the first that fails
npm run watch     # the same, again each time you save a file
npm run typecheck # TypeScript's opinion of your code
\`\`\`

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

const usage = `Usage: npm run exercise -- <lesson> <folder>

Writes lesson <lesson> (1-4, or its folder name such as 03-course-lookup) to <folder> as an
exercise: the socket code is left for you to write, and npm test there says what to do next.`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  lessonToFolder(usage, (lesson, target) => {
    const count = writeExercise(lesson, target);
    return `Wrote ${target}: ${count} holes. Next: cd there, npm install, then npm test.`;
  });
}
