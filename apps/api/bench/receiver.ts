import { createServer } from "node:http";

// A loopback recipient for the delivery benchmark, in its own process: reads the body, answers 204.
createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(204).end());
}).listen(Number(process.env.PORT), "127.0.0.1");
