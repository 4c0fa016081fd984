import * as z from "zod/mini";
import {
  ACCOUNT_SCOPES,
  CONTACT_LAYERS,
  CONTACT_ROLES,
  COOPERATION_DEPTHS,
  CREDIT_RATINGS,
  DEAL_STATUSES,
  GRADES,
  INDUSTRY_POSITIONS,
  OWNERSHIP_TYPES,
  PAYMENT_ATTITUDES,
  STAGES,
  type ContactLayer,
  type ContactRole,
} from "../labels.js";
import {
  BaseVersionSchema,
  CountSchema,
  IdSchema,
  IsoDateSchema,
  RatingSchema,
  TEXT_LIMITS,
  TimestampSchema,
  VersionSchema,
  clearableFields,
  enumId,
  intIn,
  moneyYuan,
  optionalFields,
  requiredText,
  text,
} from "./common.js";
import { LastChangedSchema } from "./changes.js";
import { customIssue } from "./messages.js";
import { TerminationSchema } from "../stageGates.js";

/**
 * The account archive (客户档案) — docs/domain.md §2; field ids exactly as docs/contracts.md §7.
 */

// ---------------------------------------------------------------------------------------------
// Confidential personal details

/**
 * Personal details of a key person (docs/domain.md §2).
 *
 * **CONFIDENTIAL personal data** — docs/domain.md §2 and §9: only the account's owner and directors may
 * read them; finance and specialists never. They live only under a contact's `personal` object
 * so redaction removes that object whole (see `redactAccount` in access.ts), and they can be
 * erased on request (erasure also scrubs history).
 */
export const PersonalDetailsSchema = z.strictObject({
  birthday: z.optional(text(TEXT_LIMITS.short)),
  hometown: z.optional(text(TEXT_LIMITS.short)),
  hobbies: z.optional(text(TEXT_LIMITS.text)),
  family: z.optional(text(TEXT_LIMITS.text)),
  character: z.optional(text(TEXT_LIMITS.text)),
  notes: z.optional(text(TEXT_LIMITS.longText)),
});
export type PersonalDetails = z.infer<typeof PersonalDetailsSchema>;

/** The confidential fields (docs/domain.md §2, §9) — the keys of a contact's `personal` object. */
export const PERSONAL_FIELDS = ["birthday", "hometown", "hobbies", "family", "character", "notes"] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** Write form of `personal`: a field set to `null` is cleared; `personal: null` clears them all. */
export const PersonalDetailsWriteSchema = z.strictObject(
  clearableFields({
    birthday: text(TEXT_LIMITS.short),
    hometown: text(TEXT_LIMITS.short),
    hobbies: text(TEXT_LIMITS.text),
    family: text(TEXT_LIMITS.text),
    character: text(TEXT_LIMITS.text),
    notes: text(TEXT_LIMITS.longText),
  }),
);
export type PersonalDetailsWrite = z.infer<typeof PersonalDetailsWriteSchema>;

// ---------------------------------------------------------------------------------------------
// Decision chain (决策链)

const contactRequired = {
  name: requiredText(TEXT_LIMITS.short),
};
/**
 * Everything but the name may be blank: a contact taken from a business card has only a name and a
 * title. A blank layer is derived from the role (`contactLayerOf`).
 */
const contactOptional = {
  title: text(TEXT_LIMITS.short),
  phone: text(TEXT_LIMITS.phone),
  email: z.email().check(z.maxLength(TEXT_LIMITS.email)),
  /** Role in the purchase (CONTACT_ROLES id: decider, gatekeeper, user, buyer, influencer). */
  role: enumId(CONTACT_ROLES),
  /** Layer (decision, management, operations, related). */
  layer: enumId(CONTACT_LAYERS),
  /** 亲密程度 1–5 */
  intimacy: RatingSchema,
  /** 专业程度 1–5 */
  professionalism: RatingSchema,
  /** 支持程度 1–5 */
  support: RatingSchema,
};

/** The layer a role belongs to when the layer is blank: decider → decision; gatekeeper, buyer → management; user → operations; influencer → related. */
const LAYER_OF_ROLE: Readonly<Record<ContactRole, ContactLayer>> = {
  decider: "decision",
  gatekeeper: "management",
  buyer: "management",
  user: "operations",
  influencer: "related",
};

/** A contact's layer: its own, else derived from its role, else undefined. */
export function contactLayerOf(c: { layer?: string | null; role?: string | null }): ContactLayer | undefined {
  const own = c.layer ? CONTACT_LAYERS.parse(c.layer) : undefined;
  if (own) return own;
  const role = c.role ? CONTACT_ROLES.parse(c.role) : undefined;
  return role ? LAYER_OF_ROLE[role] : undefined;
}

/** A decision-chain contact (docs/domain.md §2). `personal` is confidential — see PersonalDetailsSchema. */
export const ContactSchema = z.strictObject({
  id: IdSchema,
  ...contactRequired,
  ...optionalFields(contactOptional),
  personal: z.optional(PersonalDetailsSchema),
});
export type Contact = z.infer<typeof ContactSchema>;

/**
 * A contact inside an account write, merged by contact id (docs/contracts.md §6): present fields
 * replace, absent keep, `null` clears an optional field; `deleted: true` removes the contact.
 * A new contact must end up with every required field.
 */
export const ContactWriteSchema = z.strictObject({
  id: IdSchema,
  ...optionalFields(contactRequired),
  ...clearableFields(contactOptional),
  personal: z.optional(z.nullable(PersonalDetailsWriteSchema)),
  deleted: z.optional(z.literal(true)),
});
export type ContactWrite = z.infer<typeof ContactWriteSchema>;

export const CONTACT_FIELDS = ["id", "name", "title", "phone", "email", "role", "layer", "intimacy", "professionalism", "support", "personal"] as const;

// ---------------------------------------------------------------------------------------------
// Competitors, follow-ups, project expectation

/** 竞争对手: company, main product, intimacy with the account (docs/domain.md §2). */
export const CompetitorSchema = z.strictObject({
  company: requiredText(TEXT_LIMITS.name),
  mainProduct: z.optional(text(TEXT_LIMITS.name)),
  /** Competitor's intimacy with the account, 1–5. */
  intimacy: z.optional(RatingSchema),
});
export type Competitor = z.infer<typeof CompetitorSchema>;

/** 沟通跟进 log line: date, progress, problem, handling (docs/domain.md §2). */
export const FollowUpSchema = z.strictObject({
  date: IsoDateSchema,
  progress: requiredText(TEXT_LIMITS.text),
  problem: z.optional(text(TEXT_LIMITS.text)),
  handling: z.optional(text(TEXT_LIMITS.text)),
});
export type FollowUp = z.infer<typeof FollowUpSchema>;

/**
 * Project expectation (目标, 时间, 成功率), budget and tender (docs/domain.md §2). The
 * account field list (docs/contracts.md §7) has no id for these, so they are not an account field; this schema is the
 * shape to use once a field id is agreed.
 */
export const ProjectExpectationSchema = z.strictObject({
  /** 目标 — what the account expects to buy / our target outcome. */
  target: z.optional(text(TEXT_LIMITS.text)),
  /** 时间 — expected date. */
  time: z.optional(IsoDateSchema),
  /** 成功率 — a ratio 0..1 (docs/domain.md §7: rates are ratios, 0.6 not 60). */
  successRate: z.optional(z.number().check(z.gte(0), z.lte(1))),
  /** 预算, yuan. */
  budgetYuan: z.optional(moneyYuan()),
  /** 是否招标 */
  tender: z.optional(z.boolean()),
});
export type ProjectExpectation = z.infer<typeof ProjectExpectationSchema>;

// ---------------------------------------------------------------------------------------------
// Account

/** Earliest / latest founding year accepted. */
export const FOUNDED_YEAR_RANGE = { min: 1800, max: 2200 } as const;
/** Most contacts / competitors / follow-ups one account holds (keeps an item well under DynamoDB's 400 KB). */
export const ACCOUNT_LIST_LIMITS = { contacts: 200, competitors: 50, followUps: 500 } as const;

const accountRequired = {
  name: requiredText(TEXT_LIMITS.name),
  /** The owning manager's user id (docs/domain.md §2 Owner; a known user, docs/contracts.md §5.2). */
  owner: IdSchema,
};
const accountOptional = {
  legalRep: text(TEXT_LIMITS.short),
  address: text(TEXT_LIMITS.address),
  postcode: text(TEXT_LIMITS.postcode),
  phone: text(TEXT_LIMITS.phone),
  fax: text(TEXT_LIMITS.phone),
  website: text(TEXT_LIMITS.url),
  industry: text(TEXT_LIMITS.short),
  ownershipType: enumId(OWNERSHIP_TYPES),
  businessScope: text(TEXT_LIMITS.text),
  /** 注册资本, yuan. */
  registeredCapital: moneyYuan(),
  foundedYear: intIn(FOUNDED_YEAR_RANGE.min, FOUNDED_YEAR_RANGE.max),
  industryPosition: enumId(INDUSTRY_POSITIONS),
  mainBusiness: text(TEXT_LIMITS.text),
  orgNotes: text(TEXT_LIMITS.longText),
  paymentAttitude: enumId(PAYMENT_ATTITUDES),
  credit: enumId(CREDIT_RATINGS),
  /** 联系领导 (docs/domain.md §2): a user id or a leader's name. */
  liaisonLeader: text(TEXT_LIMITS.short),
  strategic: z.boolean(),
  group: z.boolean(),
  /** Referrals made by this account that closed (docs/domain.md §3.1 quality). */
  closedReferrals: CountSchema,
  stage: enumId(STAGES),
  grade: enumId(GRADES),
  /** 成交状态 (docs/domain.md §3.4); `terminated` needs a `termination` record (stageGates.ts). */
  dealStatus: enumId(DEAL_STATUSES),
  /** 客户范围: global, national, regional, industry (docs/domain.md §3.4). */
  accountScope: enumId(ACCOUNT_SCOPES),
  /** 合作深度: vendor … strategic alliance (docs/domain.md §3.4). */
  cooperationDepth: enumId(COOPERATION_DEPTHS),
  /** When and why a terminated account was dropped ({ date, reason }; stageGates.ts). */
  termination: TerminationSchema,
  competitors: z.array(CompetitorSchema).check(z.maxLength(ACCOUNT_LIST_LIMITS.competitors)),
  followUps: z.array(FollowUpSchema).check(z.maxLength(ACCOUNT_LIST_LIMITS.followUps)),
};

export { ACCOUNT_FIELDS, type AccountField } from "./fields.js";

/** Fields the server sets; a client never sends them. */
export const ACCOUNT_SERVER_FIELDS = ["updatedAt", "updatedBy", "deleted", "lastReviewed", "lastChanged"] as const;

/** Enum fields of an account / contact, for `enumFieldsToIds` on sheet rows. */
export const ACCOUNT_ENUM_FIELDS = {
  ownershipType: OWNERSHIP_TYPES,
  industryPosition: INDUSTRY_POSITIONS,
  paymentAttitude: PAYMENT_ATTITUDES,
  credit: CREDIT_RATINGS,
  stage: STAGES,
  grade: GRADES,
  dealStatus: DEAL_STATUSES,
  accountScope: ACCOUNT_SCOPES,
  cooperationDepth: COOPERATION_DEPTHS,
} as const;
export const CONTACT_ENUM_FIELDS = { role: CONTACT_ROLES, layer: CONTACT_LAYERS } as const;

/** Contact ids are unique within an account. */
const uniqueContactIds = z.superRefine((contacts: readonly { id: string }[], ctx) => {
  const seen = new Set<string>();
  contacts.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue(customIssue([i, "id"], `联系人编号 ${c.id} 重复`, `duplicate contact id ${c.id}`));
    seen.add(c.id);
  });
});

const contactsList = z.array(ContactSchema).check(z.maxLength(ACCOUNT_LIST_LIMITS.contacts), uniqueContactIds);

/** Account content: the client-owned fields, without id/version/server fields. */
export const AccountContentSchema = z.strictObject({
  ...accountRequired,
  ...optionalFields(accountOptional),
  contacts: z.optional(contactsList),
});
export type AccountContent = z.infer<typeof AccountContentSchema>;

const serverFields = {
  /** When the last accepted write happened. */
  updatedAt: TimestampSchema,
  /** User id of that write's author. */
  updatedBy: IdSchema,
};
const serverOptional = {
  /** Tombstone (directors delete accounts as tombstones, docs/contracts.md §8.10). */
  deleted: z.boolean(),
  /** Last archive review (docs/domain.md §2: stale after 183 days without review). */
  lastReviewed: IsoDateSchema,
};
/** Who last changed each field and when (changes.ts; never values). */
const lastChanged = { lastChanged: z.optional(LastChangedSchema) };

/** An account as the API returns it (server fields may be absent on a freshly built object). */
export const AccountSchema = z.strictObject({
  id: IdSchema,
  version: VersionSchema,
  ...accountRequired,
  ...optionalFields(accountOptional),
  contacts: z.optional(contactsList),
  ...optionalFields(serverFields),
  ...optionalFields(serverOptional),
  ...lastChanged,
});
export type Account = z.infer<typeof AccountSchema>;

/** An account as stored: every write has set `updatedAt` / `updatedBy`. */
export const AccountStoredSchema = z.strictObject({
  id: IdSchema,
  version: VersionSchema,
  ...accountRequired,
  ...optionalFields(accountOptional),
  contacts: z.optional(contactsList),
  ...serverFields,
  ...optionalFields(serverOptional),
  ...lastChanged,
});
export type AccountStored = z.infer<typeof AccountStoredSchema>;

/**
 * One item of `PUT /v1/accounts {"items":[...]}` (docs/contracts.md §6):
 * - `version` is the version the edit was based on; absent or 0 = a new account;
 * - any subset of fields; present fields replace, absent fields keep, `null` clears an optional
 *   field (`name` and `owner` can be replaced but never cleared);
 * - `contacts` merge by contact id (ContactWriteSchema); `competitors` / `followUps` replace the
 *   whole list; server fields are rejected as unknown.
 */
export const AccountWriteSchema = z.strictObject({
  id: IdSchema,
  version: BaseVersionSchema,
  ...optionalFields(accountRequired),
  ...clearableFields(accountOptional),
  contacts: z.optional(z.nullable(z.array(ContactWriteSchema).check(z.maxLength(ACCOUNT_LIST_LIMITS.contacts), uniqueContactIds))),
});
export type AccountWrite = z.infer<typeof AccountWriteSchema>;

/** What finance sees of an account (names only, docs/domain.md §1). */
export const AccountNameSchema = z.strictObject({ id: IdSchema, name: requiredText(TEXT_LIMITS.name), owner: IdSchema, ...lastChanged });
export type AccountName = z.infer<typeof AccountNameSchema>;
