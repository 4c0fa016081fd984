// dynalite in its own process (the local stack's DynamoDB, like the real service a separate
// process from the API). Started by stack.ts with child_process.fork; options arrive as JSON in
// argv[2], the port to listen on in argv[3] (0 = a free one; a restart reuses the port it had);
// the port is reported over IPC; "stop" (or the parent going away) closes the HTTP server and the
// LevelDB store, then exits. Plain JavaScript so it runs under any loader (tsx, vitest).
import dynalite from "dynalite";

const options = JSON.parse(process.argv[2] ?? "{}");
const port = Number(process.argv[3] ?? 0);
const server = dynalite(options);
let stopping = false;

function stop(code) {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(code));
  // A wedged close must not keep the process alive.
  setTimeout(() => process.exit(code), 5000).unref();
}

server.on("error", (e) => {
  process.send?.({ error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("message", (m) => {
  if (m === "stop") stop(0);
});
process.on("disconnect", () => stop(0));
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
