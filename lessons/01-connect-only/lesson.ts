// What makes this lesson's copies of the shared helpers its own. The other helper files here
// (address, errors, flag-parsing, listen, shutdown, harness) are the same in every lesson.
export const LESSON = 1;
export const DEFAULT_PORT = 6001;
export const TRANSPORT: "TCP" | "UDP" = "TCP";
