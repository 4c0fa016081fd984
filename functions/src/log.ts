/**
 * Structured JSON logs: one line per event, never personal fields — no names, no
 * bodies, no contact data; the tenant and user ids are pseudonymous identifiers.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogFields {
  route?: string;
  status?: number;
  ms?: number;
  tenant?: string;
  user?: string;
  requestId?: string;
  code?: string;
  error?: string;
  items?: number;
  [k: string]: string | number | boolean | undefined;
}

let sink: (line: string) => void = (line) => process.stdout.write(line + "\n");
let quiet = process.env.KAM_LOG === "off";

/** Redirect or silence logs (tests, the local stack). */
export function setLogSink(fn: ((line: string) => void) | "off" | "stdout"): void {
  if (fn === "off") quiet = true;
  else if (fn === "stdout") {
    quiet = false;
    sink = (line) => process.stdout.write(line + "\n");
  } else {
    quiet = false;
    sink = fn;
  }
}

export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  if (quiet) return;
  sink(JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields }));
}
