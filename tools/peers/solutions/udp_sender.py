# UDP sender (seed lesson 4), done right: the seed's udp_sender.py with its bugs fixed the way
# lessons/04-udp-birthday fixes them. Each "Differs:" comment says what changed and why.
# Run: python3 udp_sender.py 6004
# Check: npm run check -- 4 --client "python3 udp_sender.py {port}"
import socket
import sys


def main():
    port = int(sys.argv[1])
    message = b"Happy Birth Day Server"
    # Differs: send to localhost's IPv4 address, as the seed's IPv4 socket did, found by name;
    # the seed also bound port 80, which needs privileges: the system picks a free port.
    family, _, _, _, where = socket.getaddrinfo("localhost", port, socket.AF_INET, socket.SOCK_DGRAM)[0]
    # Differs: the socket is closed when the message is sent (the with block).
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.sendto(message, where)
        print(f"Sent {len(message)} bytes to {where[0]}:{where[1]} from {s.getsockname()[1]}")


main()
