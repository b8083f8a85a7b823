# client (seed case study)
import socket
import sys
def main():
    s=socket.socket()
    s.connect(("localhost",int(sys.argv[1])))
    name=input("CourseName:")
    s.send(name.encode())
    b=s.recv(1024)
    d=b.decode()
    print(d)
main()
