// Hosts one bundled handler in a worker thread whose process.env is the function's environment
// (a fresh module instance per function, as in its own Lambda sandbox). Plain JS: the worker
// runs outside the test's TypeScript loader.
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";

const started = performance.now();
const mod = await import(pathToFileURL(workerData.bundle).href);
const initMs = performance.now() - started;
const [file, name] = workerData.handler.split(".");
if (file !== "index" || typeof mod[name] !== "function") {
  parentPort.postMessage({ type: "init-error", error: `handler ${workerData.handler} not exported by ${workerData.bundle}` });
} else {
  parentPort.postMessage({ type: "ready", initMs });
}

parentPort.on("message", async (msg) => {
  const context = {
    awsRequestId: msg.event.requestContext?.requestId ?? String(msg.id),
    functionName: workerData.functionName,
    getRemainingTimeInMillis: () => 28_000,
    callbackWaitsForEmptyEventLoop: true,
  };
  try {
    const result = await mod[name](msg.event, context);
    parentPort.postMessage({ type: "result", id: msg.id, result });
  } catch (e) {
    parentPort.postMessage({ type: "result", id: msg.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
