import type { Principal } from "../../shared/src/access.js";
import type { Role } from "../../shared/src/labels.js";
import type { AccountWrite } from "../../shared/src/schemas/account.js";
import { upsertAccounts } from "../src/store/accounts.js";
import type { StoreContext } from "../src/store/client.js";
import { listEntities, upsertBatch } from "../src/store/entity.js";
import { USER, type UserDoc } from "../src/store/users.js";

/**
 * Demo tenant `demo` (issue 3 §4): a director, two managers, a specialist, finance and an admin,
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

function person(i: number, k: number): string {
  return SURNAMES[(i * 3 + k * 7) % SURNAMES.length]! + GIVEN[(i * 5 + k * 3) % GIVEN.length]!;
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
          hometown: HOMETOWNS[i % HOMETOWNS.length]!,
          hobbies: HOBBIES[i % HOBBIES.length]!,
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
        personal: { hobbies: HOBBIES[(i + 3) % HOBBIES.length]!, notes: "技术否决权，需重点沟通方案细节" },
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
      industryPosition: POSITION[i % POSITION.length]!,
      mainBusiness: `${c.industry}相关产品与服务`,
      paymentAttitude: PAYMENT[i % PAYMENT.length]!,
      credit: CREDIT[i % CREDIT.length]!,
      strategic: i % 7 === 0,
      group: c.name.includes("集团"),
      closedReferrals: i % 4,
      stage: STAGE[i % STAGE.length]!,
      grade: GRADE[i % GRADE.length]!,
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
  const accountResults = await upsertAccounts(
    ctx,
    DEMO_DIRECTOR,
    demoAccounts(),
  );
  const failed = [...users, ...accountResults].filter((r) => r.status === "invalid" || r.status === "forbidden");
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
export async function seedDemoActivity(_ctx: StoreContext): Promise<Record<string, number>> {
  return {};
}

/** True when the demo tenant has no users yet (first start on an empty store). */
export async function isStoreEmpty(ctx: StoreContext): Promise<boolean> {
  const page = await listEntities(ctx, USER, DEMO_TENANT, { limit: 1 });
  return page.ok && page.value.items.length === 0;
}
