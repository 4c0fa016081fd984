/**
 * Template sheet for an entity that has no sheet yet: bilingual headers (the pane's
 * language first), drop-down validation listing the enum labels, and the percentage format on a
 * computed ratio column (archive completeness).
 */
import { boolWord, PERCENT_FORMAT, type Lang } from "../../../shared/src/index.js";
import { columnLetter, type WriteOp } from "../workbook/port.js";
import type { EntityDef } from "./entities.js";

/** Rows below the header that get the drop-downs. */
export const TEMPLATE_VALIDATION_ROWS = 1000;

export function bilingualHeader(label: { zh: string; en: string }, lang: Lang): string {
  return lang === "zh" ? `${label.zh} / ${label.en}` : `${label.en} / ${label.zh}`;
}

export function templateOps(entity: EntityDef, lang: Lang, sheet = entity.sheet[lang]): WriteOp[] {
  const ops: WriteOp[] = [
    { kind: "ensureSheet", sheet, activate: true },
    { kind: "values", sheet, row: 0, col: 0, values: [entity.columns.map((c) => bilingualHeader(c.label, lang))] },
    { kind: "freezeHeader", sheet },
  ];
  entity.columns.forEach((c, i) => {
    if (c.kind === "enum" && c.enum) {
      const col = columnLetter(i);
      ops.push({ kind: "listValidation", sheet, address: `${col}2:${col}${TEMPLATE_VALIDATION_ROWS + 1}`, list: c.enum.entries.map((e) => e[lang]) });
    }
    if (c.kind === "percent") {
      const col = columnLetter(i);
      ops.push({ kind: "numberFormat", sheet, address: `${col}2:${col}${TEMPLATE_VALIDATION_ROWS + 1}`, format: PERCENT_FORMAT });
    }
    if (c.kind === "bool") {
      const col = columnLetter(i);
      ops.push({ kind: "listValidation", sheet, address: `${col}2:${col}${TEMPLATE_VALIDATION_ROWS + 1}`, list: [boolWord(true, lang), boolWord(false, lang)] });
    }
  });
  return ops;
}
