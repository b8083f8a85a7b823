# client program (seed lesson 2)
import socket
import sys
def main():
    s=socket.socket()
    s.connect(("localhost",int(sys.argv[1])))
    data=s.recv(1024)
    print(data.decode())
main()
