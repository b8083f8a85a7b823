// The Node ceiling for lesson 3's protocol: the least code that answers newline-terminated
// course lookups over node:net. No logging, no limits. Prints its port like the lessons do.
import { createServer } from "node:net";

const replies = new Map([
  ["python", "CourseName:Python,Duration:1Year,Fee=4000\n"],
  ["java", "CourseName:Java,Duration:2Year,Fee=2000\n"],
  ["c", "CourseName:C,Duration:2Months,Fee=1000\n"],
]);

const server = createServer({ allowHalfOpen: true }, (socket) => {
  let pending = "";
  socket.setEncoding("utf8");
  socket.on("error", () => undefined);
  socket.on("data", (chunk: string) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf("\n")) !== -1) {
      const course = pending.slice(0, newline).trim().toLowerCase();
      pending = pending.slice(newline + 1);
      socket.write(replies.get(course) ?? "this course is not available\n");
    }
  });
  socket.on("end", () => socket.end());
});
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(
    `Baseline is running on 127.0.0.1:${typeof address === "object" ? address?.port : ""}`,
  );
});
process.on("SIGINT", () => process.exit(0));
