import { CONTACT_LAYERS, CONTACT_ROLES, type ContactLayer } from "../../../../shared/src/labels.js";
import type { Lang } from "../../../../shared/src/errors.js";
import { SUPPORT_LEGEND, supportStatus } from "../../../../shared/src/health/relationship.js";
import type { HealthStatus } from "../../../../shared/src/health/health.js";
import type { BoxSpec, CellInput, WriteOp } from "../../workbook/port.js";
import { RAG_COLOURS } from "./health.js";

/**
 * The relationship map of an account (its decision chain, docs/domain.md §2) as a sheet: the layers
 * 决策层 / 管理层 / 操作层 / 关系人 as rows, each contact a box in its layer's row with name,
 * title, buying role, support and intimacy, coloured by support (R/A/G). Contacts without a
 * layer get a last row of their own. Pure: the ops write the title, legend and layer labels;
 * the boxes are drawn by the port (shapes in Excel, filled cells otherwise).
 */

export interface MapContact {
  id?: string;
  name?: string | null;
  title?: string | null;
  role?: string | null;
  layer?: string | null;
  support?: number | null;
  intimacy?: number | null;
}

export interface MapBox extends BoxSpec {
  contactName: string;
  layer: ContactLayer | "none";
  status: HealthStatus | undefined;
}

export interface RelationshipMap {
  sheet: string;
  ops: WriteOp[];
  boxes: MapBox[];
  /** Row of each layer shown (0-based). */
  layerRows: { layer: ContactLayer | "none"; label: string; row: number }[];
}

const NO_LAYER = { zh: "未分层", en: "No layer" };
const UNRATED = { fill: "#E1DFDD", font: "#323130" };
/** The first layer row; rows above hold the title and the legend. */
export const MAP_FIRST_ROW = 3;

/** A sheet name Excel accepts (≤ 31 characters, none of []:*?/\) for the account's map. */
export function relationshipSheetName(accountName: string, lang: Lang): string {
  const prefix = lang === "zh" ? "关系图-" : "Map-";
  const clean = accountName.replace(/[[\]:*?/\\]/g, " ").replace(/^'+|'+$/g, "").trim() || "?";
  return (prefix + clean).slice(0, 31);
}

function rating(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 5 ? v : undefined;
}

/** ●●●○○ for intimacy 3; "–" unrated. */
export function intimacyDots(v: unknown): string {
  const r = rating(v);
  return r === undefined ? "–" : "●".repeat(r) + "○".repeat(5 - r);
}

export function relationshipMap(account: { name: string; contacts?: readonly MapContact[] | null }, lang: Lang): RelationshipMap {
  const sheet = relationshipSheetName(account.name, lang);
  const contacts = (account.contacts ?? []).filter((c) => c && typeof c === "object");
  const layerOf = (c: MapContact): ContactLayer | "none" => CONTACT_LAYERS.parse(c.layer) ?? "none";
  const layers: (ContactLayer | "none")[] = [...CONTACT_LAYERS.ids];
  if (contacts.some((c) => layerOf(c) === "none")) layers.push("none");
  const layerRows = layers.map((layer, i) => ({ layer, label: layer === "none" ? NO_LAYER[lang] : CONTACT_LAYERS.label(layer, lang), row: MAP_FIRST_ROW + i }));
  const boxes: MapBox[] = [];
  for (const lr of layerRows) {
    const inLayer = contacts.filter((c) => layerOf(c) === lr.layer);
    inLayer.forEach((c, i) => {
      const status = supportStatus(c.support);
      const colour = status ? RAG_COLOURS[status] : UNRATED;
      const name = (c.name ?? "").trim() || (lang === "zh" ? "（未命名）" : "(no name)");
      const role = CONTACT_ROLES.parse(c.role);
      const support = rating(c.support);
      const lines = [
        c.title ? `${name}${lang === "zh" ? "（" : " ("}${c.title}${lang === "zh" ? "）" : ")"}` : name,
        role ? CONTACT_ROLES.label(role, lang) : lang === "zh" ? "角色未定" : "role not set",
        `${lang === "zh" ? "支持" : "Support"} ${support ?? "–"}${status ? ` ${status}` : ""}`,
        `${lang === "zh" ? "亲密" : "Intimacy"} ${intimacyDots(c.intimacy)}`,
      ];
      boxes.push({ row: lr.row, col: 1 + i, text: lines.join("\n"), fill: colour.fill, font: colour.font, contactName: name, layer: lr.layer, status });
    });
  }
  const title: CellInput[][] = [[lang === "zh" ? `关系图：${account.name}` : `Relationship map: ${account.name}`], [SUPPORT_LEGEND[lang]]];
  const ops: WriteOp[] = [
    { kind: "ensureSheet", sheet, activate: true },
    { kind: "values", sheet, row: 0, col: 0, values: title },
    { kind: "values", sheet, row: MAP_FIRST_ROW, col: 0, values: layerRows.map((l) => [l.label]) },
  ];
  if (contacts.length === 0) {
    ops.push({ kind: "values", sheet, row: MAP_FIRST_ROW + layerRows.length + 1, col: 0, values: [[lang === "zh" ? "决策链中还没有联系人" : "No contact in the decision chain yet"]] });
  }
  return { sheet, ops, boxes, layerRows };
}
