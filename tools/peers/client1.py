# client program (seed lesson 1)
import socket
import sys
def main():
    s=socket.socket()
    s.connect(("localhost",int(sys.argv[1])))
main()
