# server program (seed lesson 1), done right: the seed's server1.py with its bugs fixed the way
# lessons/01-connect-only fixes them. Each "Differs:" comment says what changed and why.
# Run: python3 server1.py 6001    Check: npm run check -- 1 --server "python3 server1.py {port}"
import selectors
import socket
import sys


def main():
    port = int(sys.argv[1])
    # Differs: listen on both loopback addresses. The seed's "localhost" is 127.0.0.1 only,
    # and a client whose localhost is ::1 first (macOS, Windows) finds nobody there.
    listeners = [listen(socket.AF_INET, "127.0.0.1", port), listen(socket.AF_INET6, "::1", port)]
    # Differs: Ctrl+C is a clean stop (exit 0), not a traceback, from the ready line on.
    try:
        # Differs: the ready line says where, so a student knows what to connect to.
        print(f"Server is running on 127.0.0.1:{port} and [::1]:{port}", flush=True)
        # Differs: wait for the first client on both addresses at once, not on the first only.
        waiting = selectors.DefaultSelector()
        for s in listeners:
            waiting.register(s, selectors.EVENT_READ)
        key, _ = waiting.select()[0]
    except KeyboardInterrupt:
        print("Server stopped before any client connected.")
        return
    cs, add = key.fileobj.accept()
    print(f"Connection accepted from {address(add)}")
    # Differs: the seed never closed its sockets; closing them ends the client's connection now.
    cs.close()
    for s in listeners:
        s.close()


def listen(family, host, port):
    s = socket.socket(family)
    s.bind((host, port))
    s.listen(5)
    return s


def address(add):
    host, port = add[0], add[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


main()
