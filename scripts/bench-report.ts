/**
 * docs/benchmarks.md is written by `npm run bench`: each bench that runs replaces its own section
 * (between `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->`) with what it printed, the
 * date and the machine it ran on; sections of benches that did not run are kept as they were.
 */
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export interface BenchRun {
  /** Bench name, e.g. `engine` (from scripts/bench/engine.ts). */
  name: string;
  /** What the bench printed. */
  output: string;
  /** Wall time of the whole bench, ms. */
  wallMs: number;
  date: Date;
}

const HEADER = `# Benchmarks

Written by \`npm run bench\` (all benches) or \`npm run bench -- <name>\` (one): each bench replaces
its own section below with the figures it printed, the date and the machine. Do not edit the
sections by hand; comments in the code point here instead of quoting figures. Nothing asserts on
time: goals and baselines are printed beside the figures.
`;

/** The machine facts printed with every section. */
export function machine(): string {
  const c = cpus();
  const model = c[0]?.model.trim() ?? "unknown CPU";
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  const [load1 = 0] = loadavg();
  const load = load1.toFixed(1);
  return `${model}, ${c.length} logical cores, ${gib} GiB RAM, ${platform()} ${release()} ${arch()}, Node.js ${process.version}; load average ${load} when written`;
}

export function section(run: BenchRun, machineFacts = machine()): string {
  const date = run.date.toISOString().replace(/\.\d+Z$/, "Z");
  const body = run.output.replace(/\s+$/, "").replace(/```/g, "'''");
  return [
    `<!-- bench:${run.name}:start -->`,
    `## ${run.name}`,
    "",
    `\`npm run bench -- ${run.name}\` · ${date} · ${(run.wallMs / 1000).toFixed(1)} s wall`,
    "",
    `Machine: ${machineFacts}`,
    "",
    "```text",
    body,
    "```",
    `<!-- bench:${run.name}:end -->`,
  ].join("\n");
}

/** The document with the runs' sections replaced (or appended, in run order, when new). */
export function withSections(doc: string, runs: readonly BenchRun[], machineFacts = machine()): string {
  let out = doc.trim() === "" ? HEADER : doc;
  for (const run of runs) {
    const text = section(run, machineFacts);
    const re = new RegExp(String.raw`<!-- bench:${run.name}:start -->[\s\S]*?<!-- bench:${run.name}:end -->`);
    out = re.test(out) ? out.replace(re, () => text) : `${out.replace(/\s*$/, "")}\n\n${text}\n`;
  }
  return out.endsWith("\n") ? out : `${out}\n`;
}

export function writeReport(path: string, runs: readonly BenchRun[]): void {
  const before = existsSync(path) ? readFileSync(path, "utf8") : "";
  writeFileSync(path, withSections(before, runs));
}

/** Runs `fn` while copying everything written to stdout; returns the copy. */
export async function capture(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  // Progress lines redrawn with \r keep only their last state.
  return chunks.join("").split("\n").map((l) => l.split("\r").pop() ?? "").join("\n");
}
