/**
 * The one DynamoDB table (single-table design). Used by the local stack
 * (CreateTable on dynalite / DynamoDB Local) and by CDK (infra/). Plain data — no SDK import —
 * so infra can import it without pulling the runtime client.
 *
 * ## Keys (every key starts with the tenant: no request can address another tenant's item)
 *
 * | item                  | pk                                  | sk                    | gsi1pk / gsi1sk                          | gsi2pk / gsi2sk                                  |
 * |-----------------------|-------------------------------------|-----------------------|------------------------------------------|--------------------------------------------------|
 * | versioned entity      | `T#<tenant>#<ENT>#<id>`             | `#ITEM`               | `T#<tenant>#<ENT>` / `<changeKey>`       | `T#<tenant>#<ENT>#OWN#<owner>` / `<changeKey>`   |
 * | history entry         | `T#<tenant>#<ENT>#<id>`             | `HIST#<version:10>`   | —                                        | —                                                |
 * | idempotency record    | `T#<tenant>#IDEM#<user>#<key>`      | `#ITEM` / `PART#<n>`  | —                                        | —                                                |
 * | access-log entry      | `T#<tenant>#ACCESS#<YYYY-MM-DD>`    | `<ISO time>#<user>#<r>`| —                                       | —                                                |
 *
 * `<ENT>` is the entity code: `ACC` accounts, `USER` user directory, `HANDOVER` handovers,
 * and (second backend helper) `VPLAN`, `VREC`, `TGT`, `CON`, `PAY`, `MODEL`…
 * `<changeKey>` = `<changedAt ms, 13 digits>#<id>`; `changedAt` is strictly increasing per item
 * (max(now, previous + 1)), so the GSIs list a tenant's items of one entity in change order.
 *
 * ## Access patterns (all keyed; no Scan in any request path)
 * - get one entity                       → GetItem pk=`T#t#ENT#id`, sk=`#ITEM`
 * - get many (batch upsert pre-read)     → BatchGetItem (unprocessed keys retried with backoff)
 * - history items of many records        → BatchWriteItem (unprocessed items retried with backoff)
 * - list all of an entity (paged)        → Query GSI1 gsi1pk=`T#t#ENT` (change order), then a
 *                                          consistent BatchGetItem of the items the entries name
 * - `since` sync (changes after cursor)  → Query GSI1 gsi1pk=`T#t#ENT`, gsi1sk > `<ms − overlap>` (+ BatchGetItem)
 * - owner filter (manager's accounts)    → Query GSI2 gsi2pk=`T#t#ENT#OWN#owner` (+ `since` on gsi2sk, + BatchGetItem)
 * - history of one item                  → Query pk=`T#t#ENT#id`, sk begins_with `HIST#`
 * - write (optimistic concurrency)       → PutItem with `version = :base` / attribute_not_exists(pk);
 *                                          the change record rides in the same item (`outbox`) and is
 *                                          materialised as `HIST#<version>` afterwards: BatchWriteItem
 *                                          for records without personal values, conditional PutItem
 *                                          (attribute_not_exists) for records erasure could rewrite.
 *                                          The outbox is cleared lazily: the next write settles it and
 *                                          carries only its own record; a single get / history read
 *                                          repairs it (UpdateItem conditioned on the version). A batch
 *                                          upsert costs one PutItem per changed row and leaves its
 *                                          records in the outboxes for the next touch (entity.ts).
 *                                          Stored as JSON strings: `outbox` and a history item's
 *                                          `changes` (lists written before are read as well).
 * - idempotent batch                     → PutItem claim (attribute_not_exists) → run → UpdateItem with
 *                                          the stored response (large responses: gzip + PART items)
 * - user directory                       → entity `USER` (GetItem for registration, GSI1 for list)
 * - handover records                     → entity `HANDOVER` (GSI1 list)
 * - whole-archive reads (docs/domain.md §9)      → PutItem into `T#t#ACCESS#<day>`
 *
 * Both indexes project keys only: a list reads the entries, then the items themselves with a
 * consistent BatchGetItem, and skips an entry that is not the item's current one (entity.ts
 * `readIndexPage`) — an index copy could be stale (eventually consistent on AWS; on dynalite a
 * write killed between its index and item writes leaves an orphan entry), and would also duplicate
 * every personal field of the archive.
 *
 * Tombstones: a delete is a versioned write setting `deleted: true`; tombstones stay on GSI1/GSI2
 * so `since` sync sees them; plain lists drop them.
 */
export const TABLE_NAME_ENV = "TABLE_NAME";
export const DEFAULT_TABLE_NAME = "kam";

export const PK = "pk";
export const SK = "sk";
export const GSI_CHANGES = "gsi1";
export const GSI_OWNER = "gsi2";
/** Idempotency records carry an epoch-seconds expiry (TTL on in production). */
export const TTL_ATTRIBUTE = "expiresAt";

export interface TableDefinition {
  AttributeDefinitions: { AttributeName: string; AttributeType: "S" | "N" | "B" }[];
  KeySchema: { AttributeName: string; KeyType: "HASH" | "RANGE" }[];
  GlobalSecondaryIndexes: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: "HASH" | "RANGE" }[];
    Projection: { ProjectionType: "ALL" | "KEYS_ONLY" | "INCLUDE" };
  }[];
  BillingMode: "PAY_PER_REQUEST";
  /** Informational for CDK: the TTL attribute to enable. */
  TimeToLiveAttribute: string;
}

export const TABLE_DEFINITION: TableDefinition = {
  AttributeDefinitions: [
    { AttributeName: PK, AttributeType: "S" },
    { AttributeName: SK, AttributeType: "S" },
    { AttributeName: "gsi1pk", AttributeType: "S" },
    { AttributeName: "gsi1sk", AttributeType: "S" },
    { AttributeName: "gsi2pk", AttributeType: "S" },
    { AttributeName: "gsi2sk", AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: PK, KeyType: "HASH" },
    { AttributeName: SK, KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: GSI_CHANGES,
      KeySchema: [
        { AttributeName: "gsi1pk", KeyType: "HASH" },
        { AttributeName: "gsi1sk", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "KEYS_ONLY" },
    },
    {
      IndexName: GSI_OWNER,
      KeySchema: [
        { AttributeName: "gsi2pk", KeyType: "HASH" },
        { AttributeName: "gsi2sk", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "KEYS_ONLY" },
    },
  ],
  BillingMode: "PAY_PER_REQUEST",
  TimeToLiveAttribute: TTL_ATTRIBUTE,
};

/** Key builders — the only place key strings are spelled. */
export const keys = {
  tenantPrefix: (tenant: string) => `T#${tenant}#`,
  entityPk: (tenant: string, entity: string, id: string) => `T#${tenant}#${entity}#${id}`,
  itemSk: "#ITEM",
  historySk: (version: number) => `HIST#${String(version).padStart(10, "0")}`,
  historyPrefix: "HIST#",
  changesPk: (tenant: string, entity: string) => `T#${tenant}#${entity}`,
  ownerPk: (tenant: string, entity: string, owner: string) => `T#${tenant}#${entity}#OWN#${owner}`,
  changeKey: (changedAt: number, id: string) => `${String(changedAt).padStart(13, "0")}#${id}`,
  idempotencyPk: (tenant: string, user: string, key: string) => `T#${tenant}#IDEM#${user}#${key}`,
  idempotencyPartSk: (n: number) => `PART#${String(n).padStart(4, "0")}`,
  accessPk: (tenant: string, day: string) => `T#${tenant}#ACCESS#${day}`,
};
