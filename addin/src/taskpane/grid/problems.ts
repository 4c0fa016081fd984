import { useSyncExternalStore } from "react";

/**
 * Problem cells the preview grid highlights: a small store the pane's pages publish to (after a
 * sync, a grading run…) and the grid reads. Keyed by sheet, then A1 address ("B7"), with the
 * message a user reads. A page passes its problems as they are, e.g. after a sync's compare:
 * `publishProblems(sheet, plan.problems)`. Highlight fills the pages write into the
 * workbook itself show in the grid anyway (it draws each cell's own fill); this list adds the
 * outline and the message.
 */
export interface ProblemCell {
  /** A1 address of the cell on its sheet, e.g. "C12". */
  address: string;
  /** What is wrong, in both languages (the sync's CellProblem shape) or already in one. */
  message: string | { zh: string; en: string };
}

export type ProblemMap = ReadonlyMap<string, ReadonlyMap<string, ProblemCell["message"]>>;

let problems: ProblemMap = new Map();
const listeners = new Set<() => void>();

function emit(next: ProblemMap): void {
  problems = next;
  for (const l of listeners) l();
}

/** Replace the problems of one sheet (an empty list clears it). */
export function publishProblems(sheet: string, cells: readonly ProblemCell[]): void {
  const next = new Map(problems);
  if (cells.length) next.set(sheet, new Map(cells.map((c) => [c.address.replace(/\$/g, "").toUpperCase(), c.message])));
  else next.delete(sheet);
  emit(next);
}

/** Forget every sheet's problems (a new workbook was opened). */
export function clearProblems(): void {
  if (problems.size) emit(new Map());
}

export function currentProblems(): ProblemMap {
  return problems;
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The problem cells, re-rendering the caller when they change. */
export function useProblems(): ProblemMap {
  return useSyncExternalStore(subscribe, currentProblems, currentProblems);
}
