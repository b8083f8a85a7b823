# UDP receiver (seed lesson 4), done right: the seed's udp_receiver.py with its bugs fixed the
# way lessons/04-udp-birthday fixes them. Each "Differs:" comment says what changed and why.
# Run: python3 udp_receiver.py 6004
# Check: npm run check -- 4 --server "python3 udp_receiver.py {port}"
import selectors
import socket
import sys

SHOW_CHARACTERS = 80


def main():
    port = int(sys.argv[1])
    # Differs: receive on both loopback addresses: a sender whose localhost is ::1 first
    # (macOS, Windows) sends there, and UDP never says that nobody received it.
    sockets = [bind(socket.AF_INET, "127.0.0.1", port), bind(socket.AF_INET6, "::1", port)]
    waiting = selectors.DefaultSelector()
    for s in sockets:
        waiting.register(s, selectors.EVENT_READ)
    datagrams, senders = 0, set()
    # Differs: Ctrl+C is a clean stop with a count, not a traceback.
    try:
        print(f"Receiver is running on 127.0.0.1:{port} and [::1]:{port}", flush=True)
        while True:
            for key, _ in waiting.select():
                # Differs: 65,535 bytes, the most a datagram carries: recvfrom(1024) kept only
                # the first 1,024 bytes of a larger one and silently dropped the rest.
                b, add = key.fileobj.recvfrom(65535)
                datagrams, senders = datagrams + 1, senders | {add[:2]}
                print(f"{describe(b)} from {address(add)}", flush=True)
    except KeyboardInterrupt:
        print(f"Receiver stopped: {datagrams} datagram(s) from {len(senders)} sender(s).")


def bind(family, host, port):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((host, port))
    return s


def describe(b):
    if b == b"":
        return "(empty datagram)"
    # Differs: bytes that are not UTF-8 become a replacement character instead of a crash
    # (b.decode() raised UnicodeDecodeError and ended the receiver), and control characters are
    # shown escaped, so a sender cannot drive the terminal.
    text = b.decode(errors="replace").removesuffix("\n").removesuffix("\r")
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text[:SHOW_CHARACTERS])
    return shown if len(text) <= SHOW_CHARACTERS else f"({len(b)} bytes) {shown}..."


def address(add):
    return f"[{add[0]}]:{add[1]}" if ":" in add[0] else f"{add[0]}:{add[1]}"


main()
