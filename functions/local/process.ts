import { fork } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * The local API (`npm run api`) as a child process, the way the pane meets it under `npm start`:
 * the caller is the client, the stack (API process + its dynalite process) runs apart from it.
 * Used by the benchmarks so that client, API and store each have their own process.
 */
export interface ApiProcess {
  url: string;
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export async function startApiProcess(opts: { inMemory?: boolean; seed?: boolean; env?: Record<string, string>; execArgv?: string[] } = {}): Promise<ApiProcess> {
  const child = fork(join(REPO_ROOT, "functions/local/main.ts"), [], {
    cwd: REPO_ROOT,
    execArgv: ["--import", "tsx", ...(opts.execArgv ?? [])],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      ...process.env,
      KAM_API_PORT: "0",
      KAM_LOG: "off",
      ...(opts.inMemory !== false ? { KAM_IN_MEMORY: "1" } : {}),
      ...(opts.seed === false ? { KAM_SEED: "0" } : {}),
      ...opts.env,
    },
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (l) => stderr.push(l) > 50 && stderr.shift());
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const url = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const m = JSON.parse(line) as { msg?: string; url?: string };
        if (m.msg === "KAM API listening" && m.url) res(m.url);
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => rej(new Error(`local API exited with ${code} before listening:\n${stderr.join("\n")}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
