// The raw baseline for `npm run bench`: node:http serving a fixed page from memory, with the same
// number of processes as the site (a node:cluster of `processes` workers). Usage: port processes bytes.
import cluster from "node:cluster";
import http from "node:http";

const [port, processes, bytes] = process.argv.slice(2).map(Number);
if (cluster.isPrimary) {
  for (let i = 0; i < processes; i += 1) cluster.fork();
} else {
  const body = "<!doctype html>" + "x".repeat(bytes);
  http
    .createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(body);
    })
    .listen(port, "127.0.0.1");
}
