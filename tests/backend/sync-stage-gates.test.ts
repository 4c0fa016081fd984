/**
 * A stage gate refused by the API reaches the cell: the pane's sync engine, against the real local
 * stack over HTTP, sends a sheet whose rows break the gates (stage 4 without a grade, a D account at
 * stage 5); `PUT /v1/accounts` answers a per-item `invalid` naming `stage` or `grade`, and the sync
 * summary carries it as a problem on that row's stage/grade cell, with the reason, and the sheet
 * marks that cell.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { LocalStack } from "../../functions/local/stack.js";
import { KamClient } from "../../addin/src/api/client.js";
import { ACCOUNTS } from "../../addin/src/sync/entities.js";
import { executeSync, prepareSync } from "../../addin/src/sync/engine.js";
import { columnOf } from "../../addin/src/sync/rows.js";
import { XlsxWorkbook } from "../../addin/src/workbook/xlsx.js";
import { STAGES, GRADES } from "../../shared/src/labels.js";
import { stageGateDetails } from "../../shared/src/stageGates.js";
import { signIn, startTestStack } from "./helpers.js";

let stack: LocalStack;
let client: KamClient;

beforeAll(async () => {
  stack = await startTestStack();
  const { token } = await signIn(stack, { sub: "m-li", tid: "demo", name: "李明", roles: ["manager"] });
  client = new KamClient({ session: () => ({ apiBase: stack.url, token, expiresAt: Date.now() + 3_600_000 }) });
  client.language = "zh";
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const label = (field: string) => columnOf(ACCOUNTS, field)!.label.zh;

describe("stage gates refused by the API land on the cell", () => {
  it("stage 4 without a grade → a problem on the stage or grade cell; a D account at stage 5 likewise", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("客户");
    const header = [label("id"), label("name"), label("stage"), label("grade")];
    ws.addRow(header);
    ws.addRow([null, "门槛测试甲", STAGES.label("relate", "zh"), null]);
    ws.addRow([null, "门槛测试乙", STAGES.label("close", "zh"), GRADES.label("D", "zh")]);
    const port = new XlsxWorkbook(wb);
    const prepared = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: "m-li", roles: ["manager"] });
    if (!prepared.ok) throw new Error(prepared.message.en);
    // The pane itself lets both rows go: only the store judges the gates on the merged record.
    expect(prepared.plan.counts.invalid).toBe(0);
    const summary = await executeSync(prepared.plan, port, client);
    const stageCol = String.fromCharCode(65 + header.indexOf(label("stage")));
    const gradeCol = String.fromCharCode(65 + header.indexOf(label("grade")));
    // `row` counts data rows from 0 (the sheet's row 2).
    const onRow = (row: number) => summary.problems.filter((p) => p.row === row);
    for (const row of [0, 1]) {
      const problems = onRow(row);
      expect(problems.length, `sheet row ${row + 2}`).toBeGreaterThan(0);
      for (const p of problems) {
        expect(["stage", "grade"]).toContain(p.field);
        expect(p.address).toBe(`${p.field === "stage" ? stageCol : gradeCol}${row + 2}`);
        // The sheet marks that cell with the reason.
        expect(JSON.stringify(ws.getCell(p.address).note ?? "")).toContain(p.message.zh.split(": ")[1]!.slice(0, 12));
        expect(p.reason).toBe("rejected");
      }
    }
    // The reason is the shared rule's, in the pane's language (the client asks the store in it).
    const want = [
      ...stageGateDetails(undefined, { stage: "relate" }, "zh"),
      ...stageGateDetails(undefined, { stage: "close", grade: "D" }, "zh"),
    ].map((d) => `${d.path}: ${d.message}`);
    expect(summary.problems.map((p) => p.message.zh)).toEqual(want);
    expect(summary.created).toBe(0);
  }, 60_000);
});
