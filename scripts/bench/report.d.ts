export interface BenchRun {
    /** Bench name, e.g. `engine` (from scripts/bench/engine.ts). */
    name: string;
    /** What the bench printed. */
    output: string;
    /** Wall time of the whole bench, ms. */
    wallMs: number;
    date: Date;
}
/** The machine facts printed with every section. */
export declare function machine(): string;
export declare function section(run: BenchRun, machineFacts?: string): string;
/** The document with the runs' sections replaced (or appended, in run order, when new). */
export declare function withSections(doc: string, runs: readonly BenchRun[], machineFacts?: string): string;
export declare function writeReport(path: string, runs: readonly BenchRun[]): void;
/** Runs `fn` while copying everything written to stdout; returns the copy. */
export declare function capture(fn: () => Promise<void>): Promise<string>;
