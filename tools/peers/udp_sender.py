# UDP Sender (seed lesson 4; its syntax error fixed, and bound to port 0 instead of 80)
import socket
import sys
def main():
    s=socket.socket(type=socket.SOCK_DGRAM)
    s.bind(('localhost',0))
    s.sendto(b'Happy Birth Day Server',('localhost',int(sys.argv[1])))
main()
