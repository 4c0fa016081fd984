import type { Bilingual } from "./errors.js";
import { PERSONAL_FIELDS, type PersonalField } from "./schemas/account.js";
import { normalizeKey } from "./text.js";

/**
 * Labels of the contacts' confidential personal details (docs/domain.md §2, §9; the keys of a contact's
 * `personal` object), and how a sheet column holding one is recognised — by its field id, its
 * `personal.<id>` path, or its zh/en label or a usual synonym.
 */
export const PERSONAL_FIELD_LABELS: Readonly<Record<PersonalField, Bilingual & { synonyms: readonly string[] }>> = {
  birthday: { zh: "生日", en: "Birthday", synonyms: ["出生日期", "Date of birth"] },
  hometown: { zh: "籍贯", en: "Hometown", synonyms: ["家乡", "老家"] },
  hobbies: { zh: "爱好", en: "Hobbies", synonyms: ["兴趣爱好", "兴趣"] },
  family: { zh: "家庭情况", en: "Family", synonyms: ["家庭", "家庭成员"] },
  character: { zh: "性格", en: "Character", synonyms: ["性格特点", "个性"] },
  notes: { zh: "个人备注", en: "Personal notes", synonyms: ["个人信息", "Personal"] },
};

const LOOKUP = new Map<string, PersonalField>();
for (const f of PERSONAL_FIELDS) {
  const l = PERSONAL_FIELD_LABELS[f];
  for (const s of [f, `personal.${f}`, l.zh, l.en, ...l.synonyms]) LOOKUP.set(normalizeKey(s), f);
}

/** The personal field a column header names, or undefined. */
export function personalFieldOfHeader(header: unknown): PersonalField | undefined {
  if (typeof header !== "string" || header.trim() === "") return undefined;
  return LOOKUP.get(normalizeKey(header));
}
