// Plausible mistakes in a Python solution (tools/peers/solutions), each a small patch, and the
// step that must catch it: tools/test/checker.test.ts applies each and runs `npm run check`
// against it, so the checker keeps naming these mistakes in a program in another language.
import type { Mistake } from "./mistakes.ts";

export interface PythonMistake extends Omit<Mistake, "program"> {
  role: "server" | "client";
}

export const pythonMistakes: PythonMistake[] = [
  {
    lesson: 3,
    role: "server",
    name: "the reply sent without its newline",
    file: "server3.py",
    from: 'cs.sendall((COURSES.get(course, NOT_AVAILABLE) + "\\n").encode())',
    to: "cs.sendall(COURSES.get(course, NOT_AVAILABLE).encode())",
    failsAt: /the server's reply is the seed's text and a newline, byte for byte/,
    says: /received "CourseName:Python,Duration:1Year,Fee=4000" \(41 bytes\)[\s\S]*Send the reply followed by a newline/,
  },
  {
    lesson: 3,
    role: "server",
    name: "each recv() answered as a whole request, as the seed did",
    file: "server3.py",
    from: "            pending += b\n",
    to: "            answer(cs, b)\n            continue\n",
    failsAt: /a request split across writes 20 ms apart/,
    says: /One recv\(\) is not one request: keep the bytes that have arrived on this connection/,
  },
  {
    lesson: 3,
    role: "server",
    name: "one client at a time: each served before the next is accepted",
    file: "server3.py",
    from: "        threading.Thread(target=serve, args=(cs,), daemon=True).start()",
    to: "        serve(cs)",
    // Step 12's two clients each end their request well within a pause, so each is served in
    // turn; the silent client of step 21 holds every other one up.
    failsAt: /a silent client is held open while 50 other clients are answered/,
    says: /Serve each connection as it arrives/,
  },
  {
    lesson: 3,
    role: "server",
    name: "a crash on the first request, as a C server's bad pointer ends it (SIGSEGV)",
    file: "server3.py",
    from: "def answer(cs, request):\n",
    to: "def answer(cs, request):\n    os.kill(os.getpid(), signal.SIGSEGV)\n",
    and: { from: "import socket\n", to: "import os\nimport signal\nimport socket\n" },
    failsAt: /python, c and C\+\+, by argument/,
    says: /was killed by SIGSEGV; it crashed: it touched memory it may not/,
  },
  {
    lesson: 3,
    role: "server",
    name: "recv() called again after it returned empty bytes: a loop that never waits",
    file: "server3.py",
    from: '                if b == b"":\n                    return',
    to: '                if b == b"":\n                    continue',
    failsAt: /python, c and C\+\+, by argument/,
    says: /was running, or ready to run, for [\d.]+ s in all[\s\S]*it kept a core busy instead of waiting/,
  },
  {
    lesson: 3,
    role: "server",
    name: "a listen queue of 1, and a server slow to accept",
    file: "server3.py",
    from: "    s.listen(socket.SOMAXCONN)",
    to: "    s.listen(1)",
    // A pause before each accept(), as a server busy elsewhere makes: the queue fills.
    and: {
      from: "        cs, add = s.accept()",
      to: "        threading.Event().wait(0.05)\n        cs, add = s.accept()",
    },
    failsAt: /a silent client is held open while 50 other clients are answered/,
    says: /more clients arrived than its listen queue holds[\s\S]*queue of at least 10/,
  },
];
