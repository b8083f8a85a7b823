# client (seed case study), done right: the seed's client3.py with its bugs fixed the way
# lessons/03-course-lookup fixes them. Each "Differs:" comment says what changed and why.
# Run: python3 client3.py 6003    Check: npm run check -- 3 --client "python3 client3.py {port}"
import socket
import sys


def main():
    port = int(sys.argv[1])
    # Differs: the prompt is for a person at a terminal; piped input gets no prompt in the output.
    name = input("CourseName:") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    if name.strip() == "":
        sys.exit("No course name given: type one, or pipe it in.")
    try:
        # Differs: create_connection tries each address localhost has, ::1 and 127.0.0.1, in
        # the system's order, where the seed's socket.socket() tried IPv4 only.
        s = socket.create_connection(("localhost", port), timeout=5)
    except ConnectionRefusedError:
        print(f"No server is running on localhost:{port}: start one first.", file=sys.stderr)
        sys.exit(1)
    with s:
        s.sendall(name.encode())
        # Differs: the half-close says "that is the whole request" to a server that reads to
        # the end; the seed's client left the server to guess from one recv().
        s.shutdown(socket.SHUT_WR)
        # Differs: one recv() is not one reply: read until the newline or the end.
        reply = b""
        while not reply.endswith(b"\n"):
            b = s.recv(1024)
            if b == b"":
                break
            reply += b
    print(reply.decode(errors="replace").rstrip("\r\n"))


main()
