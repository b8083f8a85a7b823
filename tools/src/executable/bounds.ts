// The launcher's settings (run-bounded.ts), as `npm run check --each` gives them: the limits,
// and the sandbox or the PID namespace that holds each program.
import type { Limits } from "./limits.ts";
import type { SandboxPlan } from "./sandbox.ts";

/** The launcher's settings, as JSON in this environment variable. */
export const BOUNDS = "SOCKET_LESSONS_BOUNDS";

export interface Bounds {
  limits: Limits;
  /** With --sandbox: the submission's sandbox. */
  plan?: SandboxPlan;
  /** Without it, where Linux allows: a PID namespace alone, so that all it starts ends with it. */
  ownProcesses: boolean;
  /** Without a sandbox, from root: the program runs as nobody all the same (the Gradescope bundle). */
  unprivileged?: boolean;
}
