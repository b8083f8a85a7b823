// What `npm run autograder` decided, as the bundle's grader/settings.json carries it to Gradescope.
import type { Role } from "../../shared/check/under-test.ts";
import type { Limits } from "../executable/limits.ts";

export const SETTINGS_FILE = "settings.json";

export interface AutograderSettings {
  lesson: { number: number; name: string };
  role: Role;
  /** The command for every submission, or undefined: each one's own files say (languages.ts). */
  command?: string;
  has?: string;
  limits: Limits;
  timeLimitMs: number;
}
