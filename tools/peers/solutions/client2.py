# client program (seed lesson 2), done right: the seed's client2.py with its bugs fixed the way
# lessons/02-hello-message fixes them. Each "Differs:" comment says what changed and why.
# Run: python3 client2.py 6002    Check: npm run check -- 2 --client "python3 client2.py {port}"
import socket
import sys


def main():
    port = int(sys.argv[1])
    try:
        # Differs: create_connection tries each address localhost has, ::1 and 127.0.0.1, in
        # the system's order, where the seed's socket.socket() tried IPv4 only. The timeout
        # bounds every wait: a server that never ends its message cannot hang the client.
        s = socket.create_connection(("localhost", port), timeout=5)
    except ConnectionRefusedError:
        print(f"No server is running on localhost:{port}: start the server first.", file=sys.stderr)
        sys.exit(1)
    with s:
        # Differs: one recv() is not one message: read until the server ends the stream.
        data = b""
        while True:
            b = s.recv(1024)
            if b == b"":
                break
            data += b
    # Differs: decode once, after the last piece: a piece may end inside a character.
    text = data.decode(errors="replace")
    # Differs: control characters from the network are shown escaped, so a server cannot
    # drive the terminal.
    print("".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text))


main()
