/**
 * The sync review's parts rendered (React server rendering, no browser): what a user must see
 * before anything is sent — names, both values and who changed the store's side, grouped problems,
 * the first pull's counts and the owner choice.
 */
import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import ExcelJS from "exceljs";
import { XlsxWorkbook } from "../../workbook/xlsx.js";
import { ACCOUNTS } from "../../sync/entities.js";
import { executeSync, prepareSync } from "../../sync/engine.js";
import { MemoryStore } from "../../sync/memoryStore.test-util.js";
import { t as tr, type StringKey } from "../i18n.js";
import { Conflicts, FirstPullPicker, OwnerPicker, Problems, SkippedRows, UnknownValues } from "./Sync.js";

const t = (k: StringKey) => tr(k, "zh");
const html = (el: React.ReactElement) => renderToString(<FluentProvider theme={webLightTheme}>{el}</FluentProvider>);

async function scenario() {
  const store = new MemoryStore();
  store.users = [
    { id: "m-li", name: "李明", roles: ["manager"], team: "east" },
    { id: "m-wang", name: "王芳", roles: ["manager"], team: "west" },
    { id: "d-zhao", name: "赵总", roles: ["director"] },
  ];
  await store.upsert(ACCOUNTS, [{ id: "a1", name: "华东电力", owner: "m-li", registeredCapital: 1000 }, { id: "a2", name: "星河科技", owner: "m-wang" }], "k");
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("客户").addRow(["客户编号", "客户名称", "注册资本"]);
  const port = new XlsxWorkbook(wb);
  const plan = async () => {
    const p = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: "d-zhao", roles: ["director"] });
    if (!p.ok) throw new Error(p.message.en);
    return p.plan;
  };
  return { store, port, plan };
}

describe("sync review parts", () => {
  it("first pull shows the counts per choice; the owner picker lists the rows that need an owner", async () => {
    const { port, plan } = await scenario();
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 0, values: [[null, "新客户甲", 5]] }]);
    const p = await plan();
    const first = html(<FirstPullPicker plan={p} value="all" onChange={() => {}} t={t} />);
    expect(first).toContain("我的客户 (0 行)");
    expect(first).toContain("我可查看的全部 (2 行)");
    expect(first).toContain("团队 east (1 行)");
    const owner = html(<OwnerPicker plan={p} owner={undefined} owners={{}} setOwner={() => {}} setOwners={() => {}} t={t} lang="zh" />);
    expect(owner).toContain("新客户需要指定负责经理");
    expect(owner).toContain("新客户甲");
  });

  it("a conflict card names the account, both values and who changed the store's side; problems are grouped with counts", async () => {
    const { store, port, plan } = await scenario();
    await executeSync(await plan(), port, store, { pullScope: { kind: "all" } });
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 2, values: [[2000]] }, { kind: "values", sheet: "客户", row: 2, col: 2, values: [["待定"]] }]);
    store.edit("a1", { registeredCapital: 3000 }, "m-wang");
    const p = await plan();
    const card = html(<Conflicts plan={p} resolutions={{}} setResolutions={() => {}} t={t} lang="zh" />);
    expect(card).toContain("华东电力");
    expect(card).toContain("2,000");
    expect(card).toContain("3,000");
    expect(card).toContain("王芳");
    const problems = html(<Problems plan={p} problems={p.problems} entity={ACCOUNTS} lang="zh" t={t} />);
    expect(problems).toContain("注册资本");
    expect(problems).toContain("无法识别");
    expect(problems).toContain("C3");
  });

  it("lists skipped rows with why, and offers the accepted values for a value the catalogue does not know", async () => {
    const { port, plan } = await scenario();
    await port.apply([{ kind: "values", sheet: "客户", row: 0, col: 3, values: [["企业性质"]] }]);
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 0, values: [[null, "新客户甲", 5, "乡镇企业"], [null, "新客户乙", 7, "民营"], ["合计", null, 12, null]] }]);
    const p = await plan();
    const skipped = html(<SkippedRows plan={p} t={t} lang="zh" />);
    expect(skipped).toContain("第 4 行");
    expect(skipped).toContain("合计行");
    const unknown = html(<UnknownValues plan={p} t={t} lang="zh" onMap={() => {}} />);
    expect(unknown).toContain("“乡镇企业” · 企业性质 · 2");
    expect(unknown).toContain("无法识别的值");
  });
});
