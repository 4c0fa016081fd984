/** docs/benchmarks.md sections as `npm run bench` writes them (scripts/bench/report.ts). */
import { describe, expect, it } from "vitest";
import { capture, section, withSections, type BenchRun } from "../../scripts/bench-report.js";

const run = (name: string, output: string): BenchRun => ({ name, output, wallMs: 1234, date: new Date("2026-01-02T03:04:05.678Z") });
const M = "Test CPU, 2 logical cores";

describe("docs/benchmarks.md sections", () => {
  it("a section carries the command, date, wall time, machine and the printed figures", () => {
    const s = section(run("engine", "engine: 5,000,000 rows/s\n\n"), M);
    expect(s).toContain("<!-- bench:engine:start -->\n## engine\n");
    expect(s).toContain("`npm run bench -- engine` · 2026-01-02T03:04:05Z · 1.2 s wall");
    expect(s).toContain(`Machine: ${M}`);
    expect(s).toContain("```text\nengine: 5,000,000 rows/s\n```\n<!-- bench:engine:end -->");
  });

  it("an empty file gets the header; a run replaces only its own section; new benches append", () => {
    const first = withSections("", [run("engine", "e1"), run("store", "s1")], M);
    expect(first.startsWith("# Benchmarks\n")).toBe(true);
    const second = withSections(first, [run("engine", "e2"), run("grid", "g1")], M);
    expect(second).toContain("e2");
    expect(second).not.toContain("e1");
    expect(second).toContain("s1");
    expect(second.indexOf("bench:store:start")).toBeLessThan(second.indexOf("bench:grid:start"));
    expect(second.match(/bench:engine:start/g)).toHaveLength(1);
    expect(withSections(second, [run("engine", "e2")], M)).toBe(second);
  });

  it("a figure with $ signs or fences is written as printed", () => {
    const doc = withSections("", [run("lambda", "cost $1 per $& call\n```x```")], M);
    expect(doc).toContain("cost $1 per $& call\n'''x'''");
  });

  it("capture copies what a bench writes to stdout, keeping the last state of a redrawn line", async () => {
    const out = await capture(async () => {
      process.stdout.write("rows 10%\rrows 100%\n");
      process.stdout.write("done\n");
    });
    expect(out).toBe("rows 100%\ndone\n");
  });
});
