import type { ScoringInput } from "./model.js";

/** Every header name an input answers to: its key, its labels and its synonyms. */
export function headerNamesOf(input: Pick<ScoringInput, "key" | "labels" | "synonyms">): string[] {
  return [input.key, input.labels.zh, input.labels.en, ...(input.synonyms?.zh ?? []), ...(input.synonyms?.en ?? [])];
}
