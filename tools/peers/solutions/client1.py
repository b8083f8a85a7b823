# client program (seed lesson 1), done right: the seed's client1.py with its bugs fixed the way
# lessons/01-connect-only fixes them. Each "Differs:" comment says what changed and why.
# Run: python3 client1.py 6001    Check: npm run check -- 1 --client "python3 client1.py {port}"
import socket
import sys


def main():
    port = int(sys.argv[1])
    try:
        # Differs: create_connection tries each address localhost has, ::1 and 127.0.0.1, in
        # the system's order, where the seed's socket.socket() tried IPv4 only.
        s = socket.create_connection(("localhost", port), timeout=5)
    except ConnectionRefusedError:
        # Differs: a sentence and exit 1, not a traceback.
        print(f"No server is running on localhost:{port}: start the server first.", file=sys.stderr)
        sys.exit(1)
    # Differs: say where it connected, and close the socket the seed left open.
    with s:
        host, peer_port = s.getpeername()[:2]
        where = f"[{host}]:{peer_port}" if ":" in host else f"{host}:{peer_port}"
        print(f"Connected to {where}")


main()
