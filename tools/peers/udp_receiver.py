# UDP Receiver (seed lesson 4)
import socket
import sys
def main():
    s=socket.socket(type=socket.SOCK_DGRAM)
    s.bind(('localhost',int(sys.argv[1])))
    while True:
        b,add=s.recvfrom(1024)
        print(b.decode(),add)
main()
