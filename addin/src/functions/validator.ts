import type { ModelParser } from "../../../shared/src/excel/score.js";

/**
 * The scoring-model validator (shared/src/scoring/model.ts and the schema library under it),
 * loaded on demand as its own chunk: functions.js, which Excel loads before any cell can
 * calculate, scores with the built-in models without it. It is needed only for a model the
 * user brings: a model written as JSON in a cell, or the tenant's models from the store.
 */

let parser: ModelParser | undefined;
let loading: Promise<ModelParser> | undefined;

/** The validator if it has loaded, else undefined (see `loadModelParser`). */
export function loadedModelParser(): ModelParser | undefined {
  return parser;
}

/** Load the validator once; a failed load (e.g. the chunk could not be fetched) is retried on the next call. */
export function loadModelParser(): Promise<ModelParser> {
  loading ??= import("../../../shared/src/scoring/model.js").then(
    (m) => (parser = m.parseScoringModel),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}
