# server program (seed lesson 1)
import socket
import sys
def main():
    s=socket.socket()
    s.bind(("localhost",int(sys.argv[1])))
    print("Server is running")
    s.listen(5)
    cs=s.accept()
    print("Connection accepted")
main()
