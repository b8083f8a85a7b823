# server which send message to client (seed lesson 2)
import socket
import sys
def main():
    s=socket.socket()
    s.bind(("localhost",int(sys.argv[1])))
    s.listen(10)
    print("Server is Running")
    sc,add=s.accept() # accept connection of client/server hold address of client
    msg="Hello Client"
    b=msg.encode()
    sc.send(b)
main()
