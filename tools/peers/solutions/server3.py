# server (seed case study), done right: the seed's server3.py with its bugs fixed the way
# lessons/03-course-lookup fixes them. Each "Differs:" comment says what changed and why.
# Run: python3 server3.py 6003    Check: npm run check -- 3 --server "python3 server3.py {port}"
import socket
import sys
import threading

COURSES = {
    "python": "CourseName:Python,Duration:1Year,Fee=4000",
    "java": "CourseName:Java,Duration:2Year,Fee=2000",
    "c": "CourseName:C,Duration:2Months,Fee=1000",
}
NOT_AVAILABLE = "this course is not available"
MAX_BYTES = 1024
# Differs: a request with no newline is whole after this quiet time, as the seed's single
# recv() assumed it always was; a client that sends "python" and waits is still answered.
# Any pause from 0.1 s to 1 s passes the steps (lesson 3's README, "For a program in any
# language"); half a second is between.
PAUSE = 0.5


def main():
    port = int(sys.argv[1])
    # Differs: listen on both loopback addresses. The seed's "localhost" is 127.0.0.1 only,
    # and a client whose localhost is ::1 first (macOS, Windows) finds nobody there.
    listeners = [listen(socket.AF_INET, "127.0.0.1", port), listen(socket.AF_INET6, "::1", port)]
    print(f"Server is running on 127.0.0.1:{port} and [::1]:{port}", flush=True)
    for s in listeners[1:]:
        threading.Thread(target=accept_forever, args=(s,), daemon=True).start()
    try:
        accept_forever(listeners[0])
    except KeyboardInterrupt:
        print("Server stopped.")


def listen(family, host, port):
    s = socket.socket(family)
    s.bind((host, port))
    s.listen(socket.SOMAXCONN)  # Differs: room for many clients arriving at once.
    return s


def accept_forever(s):
    while True:
        cs, add = s.accept()
        # Differs: each client is served on its own thread, so one that is slow or silent
        # never holds up the rest. The seed served one client at a time.
        threading.Thread(target=serve, args=(cs,), daemon=True).start()


def serve(cs):
    # Differs: one recv() is not one request. Bytes are gathered per connection until a
    # newline, the client's half-close, or a pause ends the request.
    pending = b""
    with cs:
        while True:
            cs.settimeout(PAUSE if pending else None)
            try:
                b = cs.recv(1024)
            except socket.timeout:
                b = None  # The client went quiet: what it sent is its request.
            except OSError:
                return  # The client reset the connection: nothing to answer.
            if b is None or b == b"":
                if pending:
                    answer(cs, pending)
                    pending = b""
                if b == b"":
                    return  # The client half-closed: it has sent everything. Closing answers it.
                continue
            pending += b
            # Differs: several requests may come in one recv(); answer each, in order.
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if len(line) > MAX_BYTES + 1 or (len(line) == MAX_BYTES + 1 and not line.endswith(b"\r")):
                    return refuse(cs)
                answer(cs, line)
            # Differs: a request is limited as its bytes arrive, not once it ends, so a client
            # that never ends one cannot fill the server's memory.
            if len(pending) > MAX_BYTES and not (len(pending) == MAX_BYTES + 1 and pending.endswith(b"\r")):
                return refuse(cs)


def answer(cs, request):
    # Differs: a CRLF's CR is not part of the name, and names match trimmed, ignoring case.
    if request.endswith(b"\r"):
        request = request[:-1]
    try:
        course = request.decode().strip().lower()
    except UnicodeDecodeError:
        course = None  # Bytes that are not UTF-8 name no course.
    # Differs: the reply ends with a newline, which is how a client knows it is complete.
    cs.sendall((COURSES.get(course, NOT_AVAILABLE) + "\n").encode())


def refuse(cs):
    cs.sendall(f"error: a request may be at most {MAX_BYTES} bytes\n".encode())


main()
