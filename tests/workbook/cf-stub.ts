/**
 * A minimal stand-in for Excel's `CustomFunctions` global (the platform API the functions are
 * written against: associate, Error, ErrorCode) and `Office.context.displayLanguage`.
 */
export class StubCustomFunctionsError {
  constructor(
    public code: string,
    public message?: string,
  ) {}
}

export const ERROR_CODES = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

export const associated = new Map<string, (...args: unknown[]) => unknown>();

export function installCustomFunctionsStub(displayLanguage = "zh-CN"): void {
  const g = globalThis as Record<string, unknown>;
  g.CustomFunctions = {
    Error: StubCustomFunctionsError,
    ErrorCode: ERROR_CODES,
    associate(id: string | Record<string, (...a: unknown[]) => unknown>, fn?: (...a: unknown[]) => unknown) {
      if (typeof id === "string") associated.set(id, fn!);
      else for (const [k, f] of Object.entries(id)) associated.set(k, f);
    },
  };
  g.Office = { context: { displayLanguage } };
}

export function setDisplayLanguage(displayLanguage: string): void {
  (globalThis as { Office?: { context: { displayLanguage: string } } }).Office = { context: { displayLanguage } };
}

/** The `CustomFunctions.Error` a call throws (a one-cell error, as Excel expects); fails if it throws none. */
export function thrownCustomFunctionsError(f: () => unknown): StubCustomFunctionsError {
  try {
    f();
  } catch (e) {
    if (e instanceof StubCustomFunctionsError) return e;
    throw e;
  }
  throw new Error("expected a CustomFunctions.Error");
}
