import type * as z from "zod/mini";
import type { Lang } from "../../../shared/src/errors.js";
import { IdSchema } from "../../../shared/src/schemas/common.js";
import { validate, type ErrorDetail } from "../../../shared/src/schemas/validation.js";
import { httpErrors } from "./errors.js";

/**
 * Validate a body / query with a shared zod schema, or throw a 400 naming every bad path, with
 * messages in `lang` (the request's language); `prefix` is put before each path.
 */
export function parse<S extends z.core.$ZodType>(schema: S, data: unknown, lang: Lang = "en", prefix = ""): z.output<S> {
  const r = validate(schema, data, lang);
  if (r.ok) return r.value;
  const details: ErrorDetail[] = prefix ? r.details.map((d) => ({ ...d, path: d.path ? `${prefix}.${d.path}` : prefix })) : r.details;
  throw httpErrors.badRequest({ zh: "输入无效", en: "invalid input" }, details);
}

/**
 * Path parameters follow the rule of body ids (`IdSchema`): an over-long id, or one holding
 * control or bidirectional-text characters, is a 400 naming the parameter — never a store error.
 */
export function checkPathIds(params: Record<string, string>, lang: Lang): void {
  const details: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(params)) {
    const r = validate(IdSchema, value, lang);
    if (!r.ok) details.push(...r.details.map((d) => ({ path: name, message: d.message })));
  }
  if (details.length > 0) throw httpErrors.badRequest({ zh: "路径中的 id 无效", en: "invalid id in the path" }, details);
}
