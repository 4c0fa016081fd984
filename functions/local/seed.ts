import type { Principal } from "../../shared/src/access.js";
import { at, must } from "../../shared/src/checked.js";
import type { Role } from "../../shared/src/labels.js";
import type { AccountWrite } from "../../shared/src/schemas/account.js";
import { upsertAccounts } from "../src/store/accounts.js";
import type { StoreContext } from "../src/store/client.js";
import { listEntities, upsertBatch } from "../src/store/entity.js";
import { TEAM, type TeamDoc } from "../src/store/teams.js";
import { USER, type UserDoc } from "../src/store/users.js";

/**
 * Demo tenant `demo`: a director, two managers, a specialist, finance and an admin,
 * ~30 accounts with decision chains (incl. confidential personal details). Loaded by `npm run seed`
 * and by the first local start on an empty store. Visits, targets, contracts and payments are
 * added by `seedDemoActivity` (second backend helper's part).
 */
export const DEMO_TENANT = "demo";

export interface DemoUser {
  sub: string;
  tid: string;
  name: string;
  roles: Role[];
  team?: string;
}

export const DEMO_USERS: DemoUser[] = [
  { sub: "d-wang", tid: DEMO_TENANT, name: "王建国", roles: ["director"] },
  { sub: "m-li", tid: DEMO_TENANT, name: "李明", roles: ["manager"], team: "east" },
  { sub: "m-zhang", tid: DEMO_TENANT, name: "张伟", roles: ["manager"], team: "south" },
  { sub: "s-chen", tid: DEMO_TENANT, name: "陈静", roles: ["specialist"], team: "east" },
  { sub: "f-liu", tid: DEMO_TENANT, name: "刘芳", roles: ["finance"] },
  { sub: "a-zhao", tid: DEMO_TENANT, name: "赵磊", roles: ["admin"] },
];

/** Names of the demo teams (docs/contracts.md §9): users carry the id, the pane shows the name. */
export const DEMO_TEAMS: { id: string; name: string }[] = [
  { id: "east", name: "华东" },
  { id: "south", name: "华南" },
];

export const DEMO_DIRECTOR: Principal = { tenant: DEMO_TENANT, userId: "d-wang", name: "王建国", roles: ["director"] };

const COMPANIES: { name: string; industry: string; ownershipType: AccountWrite["ownershipType"]; city: string; capital: number; founded: number }[] = [
  { name: "华东电力设计院", industry: "电力工程", ownershipType: "stateOwned", city: "上海市徐汇区", capital: 500_000_000, founded: 1953 },
  { name: "苏州精密机械有限公司", industry: "装备制造", ownershipType: "private", city: "江苏省苏州市工业园区", capital: 80_000_000, founded: 2004 },
  { name: "杭州云数科技股份有限公司", industry: "软件与信息服务", ownershipType: "jointStock", city: "浙江省杭州市滨江区", capital: 120_000_000, founded: 2011 },
  { name: "南京钢铁集团有限公司", industry: "冶金", ownershipType: "stateOwned", city: "江苏省南京市六合区", capital: 3_000_000_000, founded: 1958 },
  { name: "宁波港集装箱码头有限公司", industry: "港口物流", ownershipType: "stateOwned", city: "浙江省宁波市北仑区", capital: 900_000_000, founded: 1992 },
  { name: "无锡华润微电子有限公司", industry: "半导体", ownershipType: "stateOwned", city: "江苏省无锡市滨湖区", capital: 1_200_000_000, founded: 1983 },
  { name: "合肥京东方光电科技有限公司", industry: "显示面板", ownershipType: "jointStock", city: "安徽省合肥市新站区", capital: 2_500_000_000, founded: 2008 },
  { name: "上海振华重工（集团）股份有限公司", industry: "装备制造", ownershipType: "jointStock", city: "上海市浦东新区", capital: 5_200_000_000, founded: 1992 },
  { name: "常州天合光能有限公司", industry: "新能源", ownershipType: "private", city: "江苏省常州市新北区", capital: 2_100_000_000, founded: 1997 },
  { name: "温州正泰电器股份有限公司", industry: "电气设备", ownershipType: "private", city: "浙江省温州市乐清市", capital: 2_150_000_000, founded: 1984 },
  { name: "江苏恒瑞医药股份有限公司", industry: "医药", ownershipType: "jointStock", city: "江苏省连云港市", capital: 6_300_000_000, founded: 1970 },
  { name: "上海市第六人民医院", industry: "医疗卫生", ownershipType: "publicInstitution", city: "上海市徐汇区", capital: 0, founded: 1904 },
  { name: "浙江吉利控股集团有限公司", industry: "汽车", ownershipType: "private", city: "浙江省杭州市滨江区", capital: 1_030_000_000, founded: 1986 },
  { name: "中德（太仓）精工有限公司", industry: "汽车零部件", ownershipType: "jointVenture", city: "江苏省苏州市太仓市", capital: 60_000_000, founded: 2006 },
  { name: "博世汽车部件（苏州）有限公司", industry: "汽车零部件", ownershipType: "foreign", city: "江苏省苏州市高新区", capital: 700_000_000, founded: 1999 },
  { name: "广州白云国际机场股份有限公司", industry: "航空运输", ownershipType: "jointStock", city: "广东省广州市白云区", capital: 2_366_000_000, founded: 2000 },
  { name: "深圳市华星光电技术有限公司", industry: "显示面板", ownershipType: "jointStock", city: "广东省深圳市光明区", capital: 2_800_000_000, founded: 2009 },
  { name: "佛山市美的家用电器有限公司", industry: "家电", ownershipType: "private", city: "广东省佛山市顺德区", capital: 1_500_000_000, founded: 1968 },
  { name: "东莞长安精密模具厂", industry: "模具制造", ownershipType: "private", city: "广东省东莞市长安镇", capital: 30_000_000, founded: 2001 },
  { name: "珠海格力电器股份有限公司", industry: "家电", ownershipType: "jointStock", city: "广东省珠海市香洲区", capital: 5_600_000_000, founded: 1991 },
  { name: "厦门象屿物流集团有限责任公司", industry: "供应链物流", ownershipType: "stateOwned", city: "福建省厦门市湖里区", capital: 1_000_000_000, founded: 1995 },
  { name: "福建宁德时代新能源科技股份有限公司", industry: "新能源电池", ownershipType: "jointStock", city: "福建省宁德市蕉城区", capital: 4_400_000_000, founded: 2011 },
  { name: "广西柳工机械股份有限公司", industry: "工程机械", ownershipType: "stateOwned", city: "广西壮族自治区柳州市", capital: 1_950_000_000, founded: 1958 },
  { name: "海南航空控股股份有限公司", industry: "航空运输", ownershipType: "jointStock", city: "海南省海口市美兰区", capital: 4_300_000_000, founded: 1993 },
  { name: "深圳迈瑞生物医疗电子股份有限公司", industry: "医疗器械", ownershipType: "jointStock", city: "广东省深圳市南山区", capital: 1_216_000_000, founded: 1991 },
  { name: "广东省建筑设计研究院", industry: "建筑设计", ownershipType: "publicInstitution", city: "广东省广州市越秀区", capital: 0, founded: 1952 },
  { name: "中山市明阳风电设备有限公司", industry: "风电设备", ownershipType: "private", city: "广东省中山市火炬开发区", capital: 450_000_000, founded: 2006 },
  { name: "汕头超声电子股份有限公司", industry: "电子元器件", ownershipType: "jointStock", city: "广东省汕头市龙湖区", capital: 537_000_000, founded: 1997 },
  { name: "惠州亿纬锂能股份有限公司", industry: "新能源电池", ownershipType: "jointStock", city: "广东省惠州市仲恺高新区", capital: 2_046_000_000, founded: 2001 },
  { name: "江门大长江摩托车有限公司", industry: "摩托车", ownershipType: "jointVenture", city: "广东省江门市蓬江区", capital: 300_000_000, founded: 1995 },
];

const SURNAMES = ["赵", "钱", "孙", "周", "吴", "郑", "冯", "陈", "褚", "卫", "蒋", "沈", "韩", "杨", "朱", "秦", "许", "何", "吕", "施"];
const GIVEN = ["志强", "海燕", "国华", "丽娟", "建平", "晓东", "文静", "永刚", "秀英", "德明", "春梅", "立新"];
const HOMETOWNS = ["江苏盐城", "浙江绍兴", "安徽安庆", "山东潍坊", "湖南长沙", "广东潮州", "四川绵阳", "河南洛阳"];
const HOBBIES = ["钓鱼", "高尔夫", "书法", "围棋", "登山", "摄影", "品茶", "羽毛球"];
const PAYMENT = ["prompt", "average", "slow", "prompt", "average", "difficult"] as const;
const CREDIT = ["veryGood", "good", "good", "fair", "veryGood", "poor"] as const;
const POSITION = ["leading", "middle", "leading", "trailing"] as const;
const STAGE = ["target", "discover", "assess", "relate", "close"] as const;
const GRADE = ["A", "B", "C", "D", "A", "B"] as const;

/** The demo value for index `i`, cycling through the list. */
function cycle<T>(xs: readonly T[], i: number): T {
  return at(xs, i % xs.length, "demo values");
}

function person(i: number, k: number): string {
  return cycle(SURNAMES, i * 3 + k * 7) + cycle(GIVEN, i * 5 + k * 3);
}

/** The demo accounts: A-001..A-015 owned by 李明 (east), A-016..A-030 by 张伟 (south). */
export function demoAccounts(): (AccountWrite & { id: string })[] {
  return COMPANIES.map((c, i) => {
    const id = `A-${String(i + 1).padStart(3, "0")}`;
    const owner = i < 15 ? "m-li" : "m-zhang";
    const phoneArea = c.city.startsWith("上海") ? "021" : c.city.startsWith("广东省广州") ? "020" : c.city.startsWith("广东省深圳") ? "0755" : "0512";
    const contacts: NonNullable<AccountWrite["contacts"]> = [
      {
        id: `${id}-C1`,
        name: person(i, 1),
        title: c.ownershipType === "publicInstitution" ? "院长" : "总经理",
        role: "decider",
        layer: "decision",
        intimacy: ((i % 5) + 1) as 1,
        professionalism: 4,
        support: ((i + 2) % 5) + 1,
        phone: `139${String(10_000_000 + i * 7919).slice(0, 8)}`,
        personal: {
          birthday: `${1965 + (i % 15)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}`,
          hometown: cycle(HOMETOWNS, i),
          hobbies: cycle(HOBBIES, i),
          family: i % 2 === 0 ? "已婚，一子在读大学" : "已婚，一女",
          character: i % 3 === 0 ? "稳重务实，重视数据" : "爽朗健谈，决策果断",
        },
      },
      {
        id: `${id}-C2`,
        name: person(i, 2),
        title: "采购部经理",
        role: "buyer",
        layer: "management",
        intimacy: 3,
        professionalism: ((i + 1) % 5) + 1,
        support: 3,
        email: `buyer${i + 1}@example.cn`,
      },
      {
        id: `${id}-C3`,
        name: person(i, 3),
        title: "技术总工",
        role: "gatekeeper",
        layer: "management",
        intimacy: 2,
        professionalism: 5,
        support: ((i + 3) % 5) + 1,
        personal: { hobbies: cycle(HOBBIES, i + 3), notes: "技术否决权，需重点沟通方案细节" },
      },
    ];
    return {
      id,
      name: c.name,
      owner,
      legalRep: person(i, 0),
      address: `${c.city}${10 + i}号`,
      postcode: c.city.startsWith("上海") ? "200030" : c.city.startsWith("广东") ? "510000" : "215000",
      phone: `${phoneArea}-${String(6000_0000 + i * 1237).slice(0, 8)}`,
      industry: c.industry,
      ownershipType: c.ownershipType,
      ...(c.capital > 0 ? { registeredCapital: c.capital } : {}),
      foundedYear: c.founded,
      industryPosition: cycle(POSITION, i),
      mainBusiness: `${c.industry}相关产品与服务`,
      paymentAttitude: cycle(PAYMENT, i),
      credit: cycle(CREDIT, i),
      strategic: i % 7 === 0,
      group: c.name.includes("集团"),
      closedReferrals: i % 4,
      // docs/domain.md §4 stage gates: a D account is not advanced past stage 3.
      stage: GRADE[i % GRADE.length] === "D" && i % STAGE.length > 2 ? "assess" : cycle(STAGE, i),
      grade: cycle(GRADE, i),
      contacts,
      competitors: [{ company: i % 2 === 0 ? "西门子（中国）有限公司" : "施耐德电气（中国）有限公司", mainProduct: "自动化系统", intimacy: (i % 5) + 1 }],
      followUps: [{ date: "2026-01-15", progress: "年度合作框架沟通", problem: "预算审批延迟", handling: "提供分期付款方案" }],
    };
  });
}

export interface SeedSummary {
  tenant: string;
  users: number;
  accounts: number;
  activity: Record<string, number>;
}

/** Load the demo tenant (idempotent: existing items are left unchanged). */
export async function seedDemo(ctx: StoreContext): Promise<SeedSummary> {
  const users = await upsertBatch<{ id: string; name: string; roles: Role[]; team?: string }, UserDoc>(
    ctx,
    USER,
    DEMO_TENANT,
    { id: DEMO_DIRECTOR.userId },
    DEMO_USERS.map((u) => ({ id: u.sub, name: u.name, roles: u.roles, ...(u.team ? { team: u.team } : {}) })),
    {
      forbidden: () => undefined,
      merge: (existing, input) => {
        const { id: _id, ...doc } = input;
        return { ok: true, value: (existing?.data ?? doc) as UserDoc };
      },
      present: (s) => s,
    },
    { lastWriterWins: true },
  );
  const teams = await upsertBatch<{ id: string; name: string }, TeamDoc>(ctx, TEAM, DEMO_TENANT, { id: DEMO_DIRECTOR.userId }, DEMO_TEAMS, {
    forbidden: () => undefined,
    merge: (existing, input) => ({ ok: true, value: existing?.data ?? { name: input.name } }),
    present: (s) => s,
  }, { lastWriterWins: true });
  const accountResults = await upsertAccounts(
    ctx,
    DEMO_DIRECTOR,
    demoAccounts(),
  );
  const failed = [...users, ...teams, ...accountResults].filter((r) => r.status === "invalid" || r.status === "forbidden");
  if (failed.length > 0) throw new Error(`demo seed rejected: ${JSON.stringify(failed.slice(0, 3))}`);
  const activity = await seedDemoActivity(ctx);
  return {
    tenant: DEMO_TENANT,
    users: users.length,
    accounts: accountResults.filter((r) => r.status === "created" || r.status === "unchanged" || r.status === "conflict").length,
    activity,
  };
}

/**
 * Visits, targets, contracts and payments of the demo tenant — the second backend helper extends
 * this once those entity stores exist (returns the count written per entity).
 */
export async function seedDemoActivity(ctx: StoreContext): Promise<Record<string, number>> {
  // Imported here so the rest of this file stays independent of the activity stores.
  const { upsertContracts, upsertPayments } = await import("../src/store/finance.js");
  const { upsertVisitPlans, upsertVisitRecords } = await import("../src/store/visits.js");
  const { proposeTarget, TARGET, targetIdOf } = await import("../src/store/targets.js").then(async (m) => ({
    ...m,
    targetIdOf: (await import("../../shared/src/schemas/target.js")).targetIdOf,
  }));
  const { getEntity } = await import("../src/store/entity.js");
  const finance: Principal = { tenant: DEMO_TENANT, userId: "f-liu", name: "刘芳", roles: ["finance"] };
  const li: Principal = { tenant: DEMO_TENANT, userId: "m-li", name: "李明", roles: ["manager"], team: "east" };
  const ok = (rs: { status: string }[]) => rs.filter((r) => r.status === "created" || r.status === "updated").length;
  const pad = (n: number) => String(n).padStart(3, "0");

  // ---- Contracts with instalments (yuan) and payments (docs/domain.md §7) -------------------------------
  // Worked examples kept stable for tests and the demo:
  //  A-001: 1,200,000 in three instalments of 400,000 due 02-28 / 05-31 / 08-31; paid 400,000 on
  //         02-25 and 300,000 on 06-10 → 2026-Q2: due 800,000, collected 700,000, rate 0.875,
  //         100,000 overdue 30 days at 06-30 (bucket 1–30).
  //  A-002: 500,000 due 03-31, paid 520,000 on 03-20 → over-payment: credit 20,000.
  //  A-004: 2,000,000: 1,000,000 due 02-15 never paid (> 90 days overdue from 05-17 on) + 1,000,000 due 09-30.
  const contracts: Parameters<typeof upsertContracts>[2][number][] = [
    {
      id: "CON-A-001", accountId: "A-001", number: "HDDL-2026-001", signedDate: "2026-01-10", amountYuan: 1_200_000,
      instalments: [
        { id: "I1", dueDate: "2026-02-28", amountYuan: 400_000 },
        { id: "I2", dueDate: "2026-05-31", amountYuan: 400_000 },
        { id: "I3", dueDate: "2026-08-31", amountYuan: 400_000 },
      ],
    },
    { id: "CON-A-002", accountId: "A-002", number: "SZJM-2026-001", signedDate: "2026-01-20", amountYuan: 500_000, instalments: [{ id: "I1", dueDate: "2026-03-31", amountYuan: 500_000 }] },
    {
      id: "CON-A-004", accountId: "A-004", number: "NJGT-2026-001", signedDate: "2026-01-05", amountYuan: 2_000_000,
      instalments: [
        { id: "I1", dueDate: "2026-02-15", amountYuan: 1_000_000 },
        { id: "I2", dueDate: "2026-09-30", amountYuan: 1_000_000 },
      ],
    },
  ];
  const payments: Parameters<typeof upsertPayments>[2][number][] = [
    { id: "PAY-A-001-1", contractId: "CON-A-001", date: "2026-02-25", amountYuan: 400_000 },
    { id: "PAY-A-001-2", contractId: "CON-A-001", date: "2026-06-10", amountYuan: 300_000 },
    { id: "PAY-A-002-1", contractId: "CON-A-002", date: "2026-03-20", amountYuan: 520_000 },
  ];
  // The other accounts: one contract each, two halves due 04-30 and 10-31; the first half paid on
  // 04-25, except every fifth account, which paid 60% of it late (05-20).
  for (let i = 3; i <= 30; i++) {
    if (i === 4) continue;
    const id = `A-${pad(i)}`;
    const amount = 300_000 + ((i * 137_000) % 2_700_000);
    const half = amount / 2;
    contracts.push({
      id: `CON-${id}`, accountId: id, number: `KA-2026-${pad(i)}`, signedDate: `2026-0${1 + (i % 3)}-1${i % 10}`, amountYuan: amount,
      instalments: [
        { id: "I1", dueDate: "2026-04-30", amountYuan: half },
        { id: "I2", dueDate: "2026-10-31", amountYuan: half },
      ],
    });
    payments.push(
      i % 5 === 0
        ? { id: `PAY-${id}-1`, contractId: `CON-${id}`, date: "2026-05-20", amountYuan: Math.round(half * 60) / 100 }
        : { id: `PAY-${id}-1`, contractId: `CON-${id}`, date: "2026-04-25", amountYuan: half },
    );
  }
  const contractResults = await upsertContracts(ctx, finance, contracts);
  const paymentResults = await upsertPayments(ctx, finance, payments);

  // ---- Visit plans and records (docs/domain.md §5) ------------------------------------------------------
  const plans: Parameters<typeof upsertVisitPlans>[2][number][] = [];
  const records: Parameters<typeof upsertVisitRecords>[2][number][] = [];
  for (let i = 1; i <= 30; i++) {
    const id = `A-${pad(i)}`;
    const owner = i <= 15 ? "m-li" : "m-zhang";
    for (const month of ["2026-04", "2026-05", "2026-06"]) {
      plans.push({ id: `VP-${id}-${month}`, accountId: id, month, role: "kaManager", owner, plannedDate: `${month}-1${i % 9}`, purpose: "季度合作回顾与需求沟通" });
      // Every third account misses its June visit; every seventh visits without a written summary
      // (which does not count, docs/domain.md §5).
      if (month === "2026-06" && i % 3 === 0) continue;
      records.push({
        id: `VR-${id}-${month}`, accountId: id, date: `${month}-1${i % 9}`, role: "kaManager", purpose: month === "2026-04" ? "c" : "b",
        outcome: cycle(["A", "B", "C", "E"] as const, i), owner, planId: `VP-${id}-${month}`,
        ...(i % 7 === 0 && month === "2026-05" ? {} : { summary: `${month} 拜访：沟通项目进展与回款安排。` }),
      });
    }
  }
  // When each was entered (lateness, docs/domain.md §5): plans on the 25th of the month before, records on
  // the 28th of their month — except A-004's May plan, made on 05-03, and A-002's June record,
  // entered on 07-08: both late.
  const planEntered = (v: { id: string; month?: string | null }) => {
    if (v.id === "VP-A-004-2026-05") return "2026-05-03";
    const m = +must(v.month, `the month of ${v.id}`).slice(5, 7);
    return `2026-${String(m - 1).padStart(2, "0")}-25`;
  };
  const recordEntered = (v: { id: string; date?: string | null }) => (v.id === "VR-A-002-2026-06" ? "2026-07-08" : `${must(v.date, `the date of ${v.id}`).slice(0, 7)}-28`);
  const planResults = await upsertVisitPlans(ctx, DEMO_DIRECTOR, plans, { enteredOn: (v) => planEntered(v as { id: string; month?: string | null }) });
  const recordResults = await upsertVisitRecords(ctx, DEMO_DIRECTOR, records, { enteredOn: (v) => recordEntered(v as { id: string; date?: string | null }) });

  // ---- Targets (docs/domain.md §6): company → team → manager → account, with one pending proposal ----------
  const sets = [
    { level: "company" as const, period: "2026", amountYuan: 60_000_000 },
    { level: "team" as const, subject: "east", period: "2026", amountYuan: 32_000_000 },
    { level: "team" as const, subject: "south", period: "2026", amountYuan: 28_000_000 },
    { level: "manager" as const, subject: "m-li", period: "2026", amountYuan: 30_000_000 },
    { level: "manager" as const, subject: "m-zhang", period: "2026", amountYuan: 26_000_000 },
    ...["Q1", "Q2", "Q3", "Q4"].map((q) => ({ level: "manager" as const, subject: "m-li", period: `2026-${q}`, amountYuan: 7_500_000 })),
    ...["Q1", "Q2", "Q3", "Q4"].map((q) => ({ level: "manager" as const, subject: "m-zhang", period: `2026-${q}`, amountYuan: 6_500_000 })),
    { level: "account" as const, subject: "A-001", period: "2026", amountYuan: 1_500_000 },
  ];
  let targets = 0;
  for (const t of sets) {
    if (await getEntity(ctx, TARGET, DEMO_TENANT, targetIdOf(t.level, t.subject, t.period))) continue;
    const r = await proposeTarget(ctx, DEMO_DIRECTOR, t, { mustExist: false, lang: "zh" });
    if (r.ok) targets++;
    // 李明 proposes lowering his Q4 target (a large project slipped) — pending until the director decides.
    if (r.ok && t.subject === "m-li" && t.period === "2026-Q4") {
      await proposeTarget(ctx, li, { ...t, amountYuan: 6_000_000, reason: "重点项目延期至2027年一季度", basedOnVersion: 1 }, { mustExist: true, lang: "zh" });
    }
  }
  return {
    contracts: ok(contractResults),
    payments: ok(paymentResults),
    visitPlans: ok(planResults),
    visitRecords: ok(recordResults),
    targets,
  };
}

/** True when the demo tenant has no users yet (first start on an empty store). */
export async function isStoreEmpty(ctx: StoreContext): Promise<boolean> {
  const page = await listEntities(ctx, USER, DEMO_TENANT, { limit: 1 });
  return page.ok && page.value.items.length === 0;
}
