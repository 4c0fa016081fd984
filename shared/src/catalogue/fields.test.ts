import { describe, expect, it } from "vitest";
import { DEFAULT_REQUIRED_ARCHIVE_FIELDS, DECIDER_CONTACT } from "../archive/completeness.js";
import { ACCOUNT_FIELDS, PERSONAL_FIELDS } from "../schemas/account.js";
import { ACCOUNT_FIELD_LABELS } from "../excel/store.js";
import { normalizeKey } from "../text.js";
import { CATALOGUE, ENTITY_IDS, GRADING_FIELDS_CATALOGUE, accountField } from "./fields.js";
import { HeaderIndex, detectHeader } from "./headers.js";
import { headersMarkdown } from "./docs.js";

const LIST_FIELDS = ["contacts", "competitors", "followUps"];

describe("field catalogue", () => {
  it("account fields are exactly the scalar profile field ids (docs/contracts.md §7) plus the id; the termination record is one column per member", () => {
    const ids = CATALOGUE.accounts.fields.filter((d) => !d.computed).map((d) => d.id);
    const scalar = ACCOUNT_FIELDS.filter((f) => !LIST_FIELDS.includes(f)).flatMap((f) => (f === "termination" ? ["termination.date", "termination.reason"] : [f]));
    expect(ids).toEqual(["id", ...scalar.sort((a, b) => ids.indexOf(a) - ids.indexOf(b))]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("no spelling names two fields of one entity, and every spelling finds its own field", () => {
    for (const id of [...ENTITY_IDS, "grading"] as const) {
      const fields = id === "grading" ? GRADING_FIELDS_CATALOGUE : CATALOGUE[id].fields;
      const owner = new Map<string, string>();
      for (const d of fields) {
        for (const s of [d.id, d.label.zh, d.label.en, ...d.synonyms]) {
          const k = normalizeKey(s);
          expect(owner.get(k) ?? d.id, `${id}: "${s}"`).toBe(d.id);
          owner.set(k, d.id);
        }
      }
      const index = new HeaderIndex(fields);
      for (const d of fields) for (const s of [d.label.zh, d.label.en, ...d.synonyms]) expect(index.match(s)?.field, `${id}: ${s}`).toBe(d.id);
    }
  });

  it("flags: requiredToSave, countsForCompleteness and personal follow docs/contracts.md and docs/domain.md §2", () => {
    const flagged = (id: keyof typeof CATALOGUE, flag: "requiredToSave" | "countsForCompleteness" | "personal") =>
      CATALOGUE[id].fields.filter((d) => d[flag]).map((d) => d.id).sort();
    expect(flagged("accounts", "requiredToSave")).toEqual(["id", "name", "owner"]);
    expect(flagged("contacts", "requiredToSave")).toEqual(["accountId", "id", "name"]);
    expect(flagged("accounts", "countsForCompleteness")).toEqual(DEFAULT_REQUIRED_ARCHIVE_FIELDS.filter((f) => f !== DECIDER_CONTACT).map(String).sort());
    expect(flagged("contacts", "countsForCompleteness")).toEqual(["intimacy", "professionalism", "support"]);
    expect(flagged("contacts", "personal")).toEqual(PERSONAL_FIELDS.map((f) => `personal.${f}`).sort());
    expect(flagged("accounts", "personal")).toEqual([]);
    const computed = (id: keyof typeof CATALOGUE) => CATALOGUE[id].fields.filter((d) => d.computed).map((d) => d.id);
    expect(computed("accounts")).toEqual(["archiveCompleteness"]);
    for (const id of ENTITY_IDS) if (id !== "accounts") expect(computed(id), id).toEqual([]);
  });

  it("the wording follows docs/domain.md §2; the other spellings stay recognised", () => {
    expect(accountField("owner").label.zh).toBe("负责人");
    expect(accountField("closedReferrals").label.zh).toBe("转介绍成交数");
    expect(accountField("registeredCapital").label.zh).toBe("注册资本");
    const index = new HeaderIndex(CATALOGUE.accounts.fields);
    for (const [h, f] of [["负责经理", "owner"], ["客户经理", "owner"], ["推荐成交数", "closedReferrals"], ["注册资本(元)", "registeredCapital"], ["所属行业", "industry"], ["产业地位", "industryPosition"]]) {
      expect(index.match(h)?.field, h).toBe(f);
    }
    expect(new HeaderIndex(CATALOGUE.contacts.fields).match("决策角色")?.field).toBe("role");
  });

  it("every value word of a field's enum or rating scale reads as its own id (no word taken by two values)", () => {
    for (const id of ENTITY_IDS) {
      for (const d of CATALOGUE[id].fields) {
        if (!d.enum) continue;
        for (const e of d.enum.entries) for (const w of [e.id, e.zh, e.en, ...(e.aliases ?? [])]) expect(d.enum.parse(w), `${id}.${d.id}: ${w}`).toBe(e.id);
      }
    }
  });

  it("KAM.ACCOUNT's field labels are the catalogue's", () => {
    for (const d of CATALOGUE.accounts.fields.filter((x) => !x.computed)) expect(ACCOUNT_FIELD_LABELS[d.id as keyof typeof ACCOUNT_FIELD_LABELS]).toEqual(d.label);
  });

  it("a money header names its unit; other headers ignore brackets", () => {
    const index = new HeaderIndex(CATALOGUE.accounts.fields);
    expect(index.match("注册资本(万元)")).toEqual({ field: "registeredCapital", unit: "wan" });
    expect(index.match("注册资本（万）")).toEqual({ field: "registeredCapital", unit: "wan" });
    expect(index.match("注册资本/亿元")).toEqual({ field: "registeredCapital", unit: "yi" });
    expect(index.match("Registered capital (10k yuan)")).toEqual({ field: "registeredCapital", unit: "wan" });
    expect(index.match("注册资本(元)")).toEqual({ field: "registeredCapital", unit: "yuan" });
    expect(index.match("成立年份(年)")).toEqual({ field: "foundedYear" });
    expect(index.match("客户名称 / Account name")).toEqual({ field: "name" });
    expect(index.match("Account name\n客户名称")).toEqual({ field: "name" });
    expect(new HeaderIndex(CATALOGUE.contracts.fields).match("金额(万元)")).toEqual({ field: "amountYuan", unit: "wan" });
    expect(index.match("*客户名称")).toEqual({ field: "name" });
    expect(index.match("客户\n名称")).toEqual({ field: "name" });
    expect(index.match("负责人：")).toEqual({ field: "owner" });
    expect(index.match("备注")).toBeUndefined();
  });

  it("the headers table lists every field", () => {
    const md = headersMarkdown();
    for (const id of ENTITY_IDS) for (const d of CATALOGUE[id].fields) expect(md).toContain(`| \`${d.id}\` |`);
  });
});

describe("header detection", () => {
  const fields = CATALOGUE.accounts.fields;

  it("finds the header below title rows and reads a 单位 line", () => {
    const rows = [
      ["2026年华东区大客户档案"],
      ["单位：万元", null, null, "制表：李明"],
      [],
      ["客户编号", "客户名称", "负责人", "注册资本", "备注"],
      ["acc-1", "华为", "李明", 500, ""],
    ];
    const h = detectHeader(rows, fields);
    expect(h).toMatchObject({ headerRows: [3], dataStart: 4, mapping: ["id", "name", "owner", "registeredCapital", undefined], units: [undefined, undefined, undefined, "wan", undefined] });
    expect(h.columns.find((c) => c.column === 4)).toEqual({ column: 4, header: "备注" });
    expect(h.missingRequired).toEqual([]);
  });

  it("two-row bilingual headers and merged group headers", () => {
    const bilingual = detectHeader([["客户编号", "客户名称", "企业性质"], ["Account ID", "Account name", "Ownership type"], ["a1", "甲", "国企"]], fields);
    expect(bilingual).toMatchObject({ headerRows: [0, 1], dataStart: 2, mapping: ["id", "name", "ownershipType"] });
    expect(bilingual.columns[1]!.header).toBe("客户名称 / Account name");
    const grouped = detectHeader(
      [["客户编号", "客户名称", "联系方式", null, "财务"], [null, null, "电话", "地址", "注册资本(万元)"], ["a1", "甲", "010", "北京", 12]],
      fields,
      { merges: [{ top: 0, left: 0, bottom: 1, right: 0 }, { top: 0, left: 1, bottom: 1, right: 1 }, { top: 0, left: 2, bottom: 0, right: 3 }] },
    );
    expect(grouped).toMatchObject({ headerRows: [0, 1], dataStart: 2, mapping: ["id", "name", "phone", "address", "registeredCapital"], units: [undefined, undefined, undefined, undefined, "wan"] });
  });

  it("the user's header row wins; a duplicate column is not synced", () => {
    const rows = [["客户名称", "负责人"], ["名称", "客户经理", "客户名称"]];
    expect(detectHeader(rows, fields, { headerRows: [1] })).toMatchObject({ headerRows: [1], chosen: true, mapping: ["name", "owner", undefined] });
    expect(detectHeader(rows, fields, { headerRows: [1] }).columns[2]).toMatchObject({ duplicateOf: 0 });
  });

  it("a header row the user picks below the scanned rows is used", () => {
    const rows = [...Array.from({ length: 40 }, (_, i) => [`说明 ${i}`]), ["客户编号", "客户名称"], ["a1", "甲"]];
    expect(detectHeader(rows, fields)).toMatchObject({ headerRows: [] });
    expect(detectHeader(rows, fields, { headerRows: [40] })).toMatchObject({ headerRows: [40], dataStart: 41, mapping: ["id", "name"] });
  });

  it("a sheet without headers has none", () => {
    expect(detectHeader([[1, 2], [3, 4]], fields)).toMatchObject({ headerRows: [], score: 0 });
  });
});
