// What makes this lesson's copies of the shared helpers its own. The other helper files here
// (address, errors, escape, flag-parsing, listen, shutdown, harness) are the same in every lesson.
export const LESSON = 2;
export const DEFAULT_PORT = 5002;
export const TRANSPORT: "TCP" | "UDP" = "TCP";
