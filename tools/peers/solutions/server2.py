# server which sends a message to its client (seed lesson 2), done right: the seed's server2.py
# with its bugs fixed the way lessons/02-hello-message fixes them. Each "Differs:" comment says
# what changed and why.
# Run: python3 server2.py 6002    Check: npm run check -- 2 --server "python3 server2.py {port}"
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
        print(f"Server is Running on 127.0.0.1:{port} and [::1]:{port}", flush=True)
        # Differs: wait for the first client on both addresses at once, not on the first only.
        waiting = selectors.DefaultSelector()
        for s in listeners:
            waiting.register(s, selectors.EVENT_READ)
        key, _ = waiting.select()[0]
    except KeyboardInterrupt:
        print("Server stopped before any client connected.")
        return
    sc, add = key.fileobj.accept()
    msg = "Hello Client"
    # Differs: sendall() sends every byte; send() may send only some and say how many.
    sc.sendall(msg.encode())
    # Differs: closing ends the stream (a FIN): that is how the client knows the message is
    # whole. The seed never closed, and relied on its process ending.
    sc.close()
    host = f"[{add[0]}]" if ":" in add[0] else add[0]
    print(f"Sent {msg} to {host}:{add[1]}")


def listen(family, host, port):
    s = socket.socket(family)
    s.bind((host, port))
    s.listen(10)
    return s


main()
