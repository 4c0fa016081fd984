import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "lambda-worker.mjs");

/** One bundled function, loaded in its own worker thread with its own environment. */
export interface LambdaHost {
  name: string;
  initMs: number;
  /** Everything the function wrote to stdout/stderr (its structured logs). */
  logs: string[];
  invoke(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2>;
  stop(): Promise<void>;
}

export async function startLambda(opts: { name: string; bundle: string; handler: string; env: Record<string, string> }): Promise<LambdaHost> {
  const worker = new Worker(WORKER, {
    workerData: { bundle: opts.bundle, handler: opts.handler, functionName: opts.name },
    env: opts.env,
    stdout: true,
    stderr: true,
  });
  const logs: string[] = [];
  worker.stdout.on("data", (c: Buffer) => logs.push(c.toString("utf8")));
  worker.stderr.on("data", (c: Buffer) => logs.push(c.toString("utf8")));
  const pending = new Map<number, { resolve: (r: APIGatewayProxyStructuredResultV2) => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  const fail = (e: Error) => {
    failed = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const initMs = await new Promise<number>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (m: { type: string; initMs?: number; error?: string }) => {
      if (m.type === "ready") resolve(m.initMs!);
      else reject(new Error(m.error));
    });
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`${opts.name}: worker exited with ${code}`)));
  worker.on("message", (m: { type: string; id: number; result?: APIGatewayProxyStructuredResultV2; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(`${opts.name} threw: ${m.error}`));
    else p.resolve(m.result!);
  });
  let next = 0;
  return {
    name: opts.name,
    initMs,
    logs,
    invoke(event) {
      if (failed) return Promise.reject(failed);
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, event });
      });
    },
    async stop() {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}
