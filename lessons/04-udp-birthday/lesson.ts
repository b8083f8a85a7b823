// What makes this lesson's copies of the shared helpers its own. The other helper files here
// (address, errors, escape, flag-parsing, shutdown, harness) are the same in every lesson.
export const LESSON = 4;
export const DEFAULT_PORT = 6004;
export const TRANSPORT: "TCP" | "UDP" = "UDP";
