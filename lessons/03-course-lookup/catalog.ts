// The course catalog: a JSON file a teacher can edit, mapping course names to replies.
// It is checked once, at start, so a mistake in it stops the server with a clear sentence.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const DEFAULT_CATALOG = fileURLToPath(new URL("catalog.json", import.meta.url));
export const NOT_AVAILABLE = "this course is not available";

/** Course names are matched after trimming white space, ignoring case. */
export function normalizeCourse(name: string): string {
  return name.trim().toLowerCase();
}

/** Loads and checks a catalog; throws an Error whose message is one sentence naming the file. */
export function loadCatalog(file: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "the file does not exist" : `it cannot be read (${code})`;
    throw new Error(`The course catalog ${file} cannot be used: ${problem}.`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The course catalog ${file} is not valid JSON: ${reason}.`, { cause: error });
  }
  const shape = `it must be a JSON object of course names and replies, like {"python": "CourseName:Python,Duration:1Year,Fee=4000"}`;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new Error(`The course catalog ${file} is malformed: ${shape}.`);
  }
  const catalog = new Map<string, string>();
  for (const [name, reply] of Object.entries(data)) {
    const course = normalizeCourse(name);
    if (course === "" || typeof reply !== "string" || reply === "" || /[\r\n]/.test(reply)) {
      throw new Error(
        `The course catalog ${file} is malformed at "${name}": ${shape}, each reply one line of text.`,
      );
    }
    if (catalog.has(course)) {
      throw new Error(`The course catalog ${file} names "${course}" twice (names ignore case).`);
    }
    catalog.set(course, reply);
  }
  return catalog;
}

/** Loads the catalog (--catalog, else catalog.json here), or prints why it cannot and exits 1. */
export function loadCatalogOrExit(file = DEFAULT_CATALOG): Map<string, string> {
  try {
    return loadCatalog(file);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

/** Bytes as text if they are UTF-8; undefined if not, for they cannot name a course. */
export function decodeCourse(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
