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
  gradeMapping: { zh: "列对应（可手动调整）", en: "Columns (adjust by hand)" },
  notInSheet: { zh: "（本表没有）", en: "(not in this sheet)" },
  gradeRowsGraded: { zh: "行已分级", en: "rows graded" },
  gradeRowsFailed: { zh: "行有无法识别或缺少的单元格（见预览）", en: "rows have unreadable or missing cells (see the preview)" },
  gradeRowsSkipped: { zh: "行为空行或合计行，已跳过", en: "blank or totals rows skipped" },
  gradeRules: { zh: "等级：A ≥ 75，B ≥ 55，C ≥ 35，否则 D；ABC：累计占比 80% / 95%。", en: "Grade: A ≥ 75, B ≥ 55, C ≥ 35, else D; ABC: cumulative share 80% / 95%." },
  // scorecard
  buildScorecard: { zh: "生成考核表", en: "Build scorecard" },
  scorecardBuilt: { zh: "考核表已生成", en: "Scorecard built" },
  scorecardHint: { zh: "定性评分列由总监填写（选中单元格可见评分标准）；重新生成会保留已填写的评分和手工填写的数字，只更新系统写入且未改动的单元格。", en: "The director fills the rating columns (select a cell to see its scale); re-building keeps typed ratings and figures, and refreshes only the cells the store wrote and nobody edited." },
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
} as const;

export type StringKey = keyof typeof S;

export function t(key: StringKey, lang: Lang): string {
  return S[key][lang];
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
