// Submissions a class hands in, for the tests of grading one (class.test.ts, autograder.test.ts):
// lesson 1's server in Python, JavaScript and C, and a folder to put each in.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { python, solutionFile } from "../src/lib/python.ts";

/** Writes `files` (name: text) into a submission folder of the class in `folder`. */
export function submit(folder: string, name: string, files: Record<string, string>) {
  mkdirSync(join(folder, name), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, name, file), text);
}

export const pythonWords = (python ?? ["python3"]).join(" ");
export const serverOne = () => readFileSync(solutionFile("server1.py"), "utf8");

/** Lesson 1's server in JavaScript and C: both loopbacks, one connection, exit 0. */
export const JS_SERVER = `const net = require("node:net");
const port = Number(process.argv[2]);
const servers = ["127.0.0.1", "::1"].map((host) =>
  net.createServer((socket) => { socket.destroy(); for (const s of servers) s.close(); }).listen(port, host));
`;
export const C_SERVER = `#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int port = atoi(argv[1]), no = 0, yes = 1;
  int s = socket(AF_INET6, SOCK_STREAM, 0);
  setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  struct sockaddr_in6 a; memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6; a.sin6_port = htons(port); a.sin6_addr = in6addr_any;
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 5) != 0) return 1;
  close(accept(s, 0, 0));
  return 0;
}
`;
