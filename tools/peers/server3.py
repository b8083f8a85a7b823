# server (seed case study)
import socket
import sys
def main():
    s=socket.socket()
    s.bind(("localhost",int(sys.argv[1])))
    s.listen(10)
    while True:
        cs,add=s.accept()
        b=cs.recv(1024)
        course=b.decode()
        if course=="python":
            cs.send('CourseName:Python,Duration:1Year,Fee=4000'.encode())
        elif course=="java":
            cs.send('CourseName:Java,Duration:2Year,Fee=2000'.encode())
        elif course=="c":
            cs.send('CourseName:C,Duration:2Months,Fee=1000'.encode())
        else:
            cs.send("this course is not available".encode())
main()
