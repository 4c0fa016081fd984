/**
 * zh-CN / en-US strings of the pane (issue 5 §9). The language follows Office's display language
 * (`Office.context.displayLanguage`), else the browser's; `?lang=zh|en` and the switch override.
 */
import type { Lang } from "../../../shared/src/index.js";

const S = {
  appTitle: { zh: "KAM 大客户管理", en: "KAM for Excel" },
  language: { zh: "语言", en: "Language" },
  preview: { zh: "预览模式（浏览器）", en: "Preview mode (browser)" },
  openWorkbook: { zh: "打开工作簿 (.xlsx)", en: "Open workbook (.xlsx)" },
  newWorkbook: { zh: "新建工作簿", en: "New workbook" },
  download: { zh: "下载工作簿", en: "Download workbook" },
  noWorkbook: { zh: "请先打开或新建一个工作簿。", en: "Open or create a workbook first." },
  droppedWarning: { zh: "此文件含有预览模式无法保留的对象：", en: "This file holds objects preview mode cannot keep:" },
  droppedHint: { zh: "下载的文件将不再包含它们。在 Excel 中打开原文件可保留。", en: "The downloaded file will not contain them. Open the original in Excel to keep them." },
  downloadAnyway: { zh: "仍然下载", en: "Download anyway" },
  cancel: { zh: "取消", en: "Cancel" },
  charts: { zh: "图表", en: "charts" },
  pivots: { zh: "数据透视表", en: "pivot tables" },
  macros: { zh: "宏", en: "macros" },
  slicers: { zh: "切片器", en: "slicers" },
  chartsInPane: { zh: "图表（预览模式在此显示）", en: "Charts (shown here in preview mode)" },
  tabSignIn: { zh: "登录", en: "Sign in" },
  tabGrade: { zh: "客户分级", en: "Grade" },
  tabScorecard: { zh: "绩效考核", en: "Scorecard" },
  tabSync: { zh: "同步", en: "Sync" },
  tabTargets: { zh: "销售指标", en: "Targets" },
  tabCollections: { zh: "回款", en: "Collections" },
  tabHandover: { zh: "交接", en: "Handover" },
  loading: { zh: "加载中…", en: "Loading…" },
  // sign-in
  apiBase: { zh: "服务地址", en: "Store address" },
  devSignIn: { zh: "开发登录（本地）", en: "Dev sign-in (local)" },
  loadUsers: { zh: "加载演示用户", en: "Load demo users" },
  demoUser: { zh: "演示用户", en: "Demo user" },
  signIn: { zh: "登录", en: "Sign in" },
  signOut: { zh: "退出", en: "Sign out" },
  officeSignIn: { zh: "使用 Microsoft 帐户登录", en: "Sign in with Microsoft" },
  signedInAs: { zh: "当前用户", en: "Signed in as" },
  role: { zh: "角色", en: "Role" },
  store: { zh: "数据存储", en: "Store" },
  lastSync: { zh: "上次同步", en: "Last sync" },
  never: { zh: "从未", en: "never" },
  notSignedIn: { zh: "未登录。", en: "Not signed in." },
  // common
  sheet: { zh: "工作表", en: "Sheet" },
  useSelection: { zh: "使用当前选区", en: "Use selection" },
  refresh: { zh: "刷新", en: "Refresh" },
  writeAs: { zh: "写入方式", en: "Write as" },
  asValues: { zh: "数值", en: "Values" },
  asFormulas: { zh: "实时公式 (=KAM.*)", en: "Live formulas (=KAM.*)" },
  period: { zh: "期间", en: "Period" },
  team: { zh: "团队", en: "Team" },
  allTeams: { zh: "全部", en: "All" },
  done: { zh: "完成", en: "Done" },
  error: { zh: "错误", en: "Error" },
  // grade
  detect: { zh: "识别列", en: "Detect columns" },
  found: { zh: "已识别", en: "Found" },
  missing: { zh: "缺少", en: "Missing" },
  previewRows: { zh: "预览", en: "Preview" },
  writeGrades: { zh: "写入 等级/价值分/类型/ABC", en: "Write Grade / Value / Class / ABC" },
  gradeWritten: { zh: "已写入分级结果", en: "Grades written" },
  valueNeedsFactors: { zh: "价值分需要 7 个要素评分列", en: "The value score needs the 7 factor columns" },
  // scorecard
  buildScorecard: { zh: "生成考核表", en: "Build scorecard" },
  scorecardBuilt: { zh: "考核表已生成", en: "Scorecard built" },
  scorecardHint: { zh: "定性评分列由总监填写；重新生成会保留已填写的评分。", en: "The director fills the rating columns; re-building keeps typed ratings." },
  directoryLoading: { zh: "正在加载用户目录…", en: "Loading the user directory…" },
  directoryFailed: { zh: "用户目录加载失败", en: "The user directory did not load" },
  scorecardNoManagers: { zh: "未生成考核表：所选团队在用户目录中没有经理", en: "No scorecard built: the user directory lists no manager in the chosen team" },
  // sync
  entity: { zh: "数据类型", en: "Data" },
  compare: { zh: "比较", en: "Compare" },
  syncNow: { zh: "同步", en: "Sync" },
  createTemplate: { zh: "创建模板工作表", en: "Create template sheet" },
  mapping: { zh: "列映射", en: "Column mapping" },
  notSynced: { zh: "（不同步）", en: "(not synced)" },
  toPush: { zh: "待上传", en: "To push" },
  toPull: { zh: "待下载", en: "To pull" },
  toAdd: { zh: "新增到表", en: "To add" },
  toRemove: { zh: "从表中移除", en: "To remove" },
  conflicts: { zh: "冲突", en: "Conflicts" },
  invalid: { zh: "无效行", en: "Invalid rows" },
  unchanged: { zh: "未变化", en: "Unchanged" },
  deletes: { zh: "已删除的行", en: "Deleted rows" },
  confirmDeletes: { zh: "确认在服务器上删除这些行", en: "Confirm deleting these rows in the store" },
  keepMine: { zh: "保留我的", en: "Keep mine" },
  takeTheirs: { zh: "采用服务器的", en: "Take theirs" },
  allMine: { zh: "全部保留我的", en: "Keep all mine" },
  allTheirs: { zh: "全部采用服务器的", en: "Take all theirs" },
  mine: { zh: "我的", en: "Mine" },
  theirs: { zh: "服务器", en: "Theirs" },
  field: { zh: "字段", en: "Field" },
  progress: { zh: "进度", en: "Progress" },
  summary: { zh: "同步结果", en: "Summary" },
  created: { zh: "新建", en: "created" },
  updated: { zh: "更新", en: "updated" },
  pulled: { zh: "下载", en: "pulled" },
  added: { zh: "新增", en: "added" },
  removed: { zh: "移除", en: "removed" },
  deleted: { zh: "删除", en: "deleted" },
  requests: { zh: "请求", en: "requests" },
  rowsSent: { zh: "发送行数", en: "rows sent" },
  cancelled: { zh: "已取消", en: "Cancelled" },
  nothingToDo: { zh: "没有变化，无需同步。", en: "Nothing changed; nothing to send." },
  // targets
  level: { zh: "层级", en: "Level" },
  subject: { zh: "对象", en: "Subject" },
  amount: { zh: "金额(元)", en: "Amount (yuan)" },
  reason: { zh: "理由", en: "Reason" },
  setTarget: { zh: "设定指标", en: "Set target" },
  proposeChange: { zh: "提出调整", en: "Propose change" },
  approve: { zh: "批准", en: "Approve" },
  reject: { zh: "驳回", en: "Reject" },
  pending: { zh: "待审批", en: "Pending" },
  effective: { zh: "有效指标", en: "Effective" },
  history: { zh: "历史", en: "History" },
  load: { zh: "加载", en: "Load" },
  // collections
  scope: { zh: "范围", en: "Scope" },
  pullReport: { zh: "生成回款报表", en: "Pull collection report" },
  collectionRule: { zh: "回款率 = 截至期末已回款 ÷ 截至期末应回款", en: "Collection rate = collected ÷ due by the period end" },
  // handover
  fromManager: { zh: "离职经理", en: "Departing manager" },
  toManager: { zh: "接手经理", en: "Receiving manager" },
  handOver: { zh: "交接客户", en: "Hand over accounts" },
  recorded: { zh: "交接记录", en: "Recorded handovers" },
  directorsOnly: { zh: "仅总监可操作。", en: "Directors only." },
  // ---- roles' pages: pickers, targets, collections, handover (block kept together for merging) ----
  pickerFilter: { zh: "输入以筛选", en: "Type to filter" },
  pickerNone: { zh: "没有可选项", en: "Nothing to choose" },
  managers: { zh: "客户经理（可多选）", en: "Managers (one or more)" },
  teams: { zh: "团队（可多选）", en: "Teams (one or more)" },
  setTargetsTitle: { zh: "设定或修改指标", en: "Set or change targets" },
  targetsSet: { zh: "已设定指标", en: "Targets set" },
  targetsList: { zh: "本期指标", en: "Targets of the period" },
  noTargets: { zh: "本期还没有指标", en: "No targets for this period yet" },
  pickSubjects: { zh: "请选择对象", en: "Choose who the target is for" },
  amountInvalid: { zh: "金额(元) 应为不小于 0 的数字", en: "Amount (yuan) must be a number ≥ 0" },
  noEffective: { zh: "无已批准指标", en: "none approved" },
  proposedBy: { zh: "提出人", en: "Proposed by" },
  change: { zh: "调整", en: "Change" },
  myProposals: { zh: "我的调整申请", en: "My proposals" },
  noProposals: { zh: "暂无调整申请", en: "No proposals" },
  pendingDecisions: { zh: "待审批的调整", en: "Changes awaiting a decision" },
  noPending: { zh: "没有待审批的调整", en: "Nothing awaits a decision" },
  proposeFor: { zh: "为以下指标提出调整", en: "Propose a change to" },
  proposalSent: { zh: "已提交调整申请，等待总监审批", en: "Proposal sent; the director decides" },
  approved: { zh: "已批准", en: "Approved" },
  rejected: { zh: "已驳回", en: "Rejected" },
  decidedBy: { zh: "审批人", en: "Decided by" },
  scopeKind: { zh: "范围", en: "Scope" },
  scopeAll: { zh: "全部客户", en: "All accounts" },
  scopeTeam: { zh: "按团队", en: "By team" },
  scopeOwner: { zh: "按客户经理", en: "By manager" },
  scopeTyped: { zh: "输入范围", en: "Type a scope" },
  scopeTypedHint: { zh: "例如 *、owner:李明、team:华东、account:A-001 或客户名称", en: "e.g. *, owner:李明, team:华东, account:A-001 or an account name" },
  scopeEmpty: { zh: "范围内没有客户，未生成报表", en: "The scope holds no accounts; no report written" },
  reportWritten: { zh: "回款报表已写入", en: "Collection report written" },
  accountsCount: { zh: "个客户", en: "accounts" },
  pickManager: { zh: "请选择客户经理", en: "Choose a manager" },
  pickTeam: { zh: "请选择团队", en: "Choose a team" },
  handoverAccounts: { zh: "要交接的客户", en: "Accounts to hand over" },
  selectAll: { zh: "全选", en: "Select all" },
  selectNone: { zh: "全不选", en: "Select none" },
  noAccountsOwned: { zh: "该经理名下没有客户", en: "This manager owns no accounts" },
  reviewHandover: { zh: "确认交接…", en: "Review handover…" },
  confirmHandover: { zh: "确认交接", en: "Confirm handover" },
  handoverConfirmText: { zh: "以下客户将从 {from} 交接给 {to}：", en: "These accounts move from {from} to {to}:" },
  handoverDone: { zh: "已将 {n} 个客户从 {from} 交接给 {to}", en: "{n} accounts moved from {from} to {to}" },
  handoverNoneSelected: { zh: "请至少选择一个客户", en: "Choose at least one account" },
  when: { zh: "时间", en: "When" },
  accountsMoved: { zh: "客户数", en: "Accounts" },
} as const;

export type StringKey = keyof typeof S;

export function t(key: StringKey, lang: Lang): string {
  return S[key][lang];
}

/** A string with `{name}` placeholders filled in. */
export function tf(key: StringKey, lang: Lang, vars: Record<string, string | number>): string {
  return S[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** zh* → zh, else en (CONTRACTS "Language"). */
export function langOf(tag: string | undefined | null): Lang {
  return tag && /^zh/i.test(tag) ? "zh" : "en";
}

export function initialLang(): Lang {
  const q = typeof location !== "undefined" ? new URLSearchParams(location.search).get("lang") : null;
  if (q) return langOf(q);
  const office = (globalThis as { Office?: { context?: { displayLanguage?: string } } }).Office?.context?.displayLanguage;
  if (office) return langOf(office);
  return langOf(typeof navigator !== "undefined" ? navigator.language : "en");
}
