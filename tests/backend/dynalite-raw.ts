import { marshall } from "@aws-sdk/util-dynamodb";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DEFAULT_TABLE_NAME } from "../../functions/src/store/table.js";

/**
 * Direct access to the LevelDB store of a stopped dynalite (the local stack's `<dataDir>/dynalite`),
 * for crash tests: read and write index entries the way dynalite itself does (its own key function
 * and `level`, both taken from the dynalite package), so a test can leave exactly what a write
 * killed between its index writes and its item write leaves.
 */
const fromDynalite = createRequire(createRequire(import.meta.url).resolve("dynalite/package.json"));
const { Level } = fromDynalite("level") as { Level: new (path: string, opts: { valueEncoding: "json" }) => RawLevel };
const dynaliteDb = fromDynalite("./db/index.js") as {
  createIndexKey(item: Record<string, unknown>, table: TableDescription, keySchema: KeySchema): string;
};

type KeySchema = { AttributeName: string; KeyType: string }[];
interface TableDescription {
  TableName: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  KeySchema: KeySchema;
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: KeySchema }[];
}
interface RawLevel {
  open(): Promise<void>;
  close(): Promise<void>;
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(opts: { gte: string; lt: string }): AsyncIterable<string>;
}

export interface RawStore {
  /** Write `item`'s entries in every index it has keys for (the value: the whole item, as ALL would). */
  putIndexEntries(item: Record<string, unknown>): Promise<void>;
  /** Delete `item`'s entries from every index. */
  deleteIndexEntries(item: Record<string, unknown>): Promise<void>;
  /** Number of entries of an index whose table key is `pk`. */
  countEntries(indexName: string, pk: string): Promise<number>;
}

/** Open the stopped store under `dataDir`, run `fn`, close it. */
export async function withRawStore<T>(dataDir: string, fn: (raw: RawStore) => Promise<T>, tableName = DEFAULT_TABLE_NAME): Promise<T> {
  const db = new Level(join(dataDir, "dynalite"), { valueEncoding: "json" });
  await db.open();
  try {
    const table = (await db.get(`table~${tableName}`)) as TableDescription | undefined;
    if (!table) throw new Error(`no table ${tableName} in ${dataDir}`);
    const indexes = table.GlobalSecondaryIndexes ?? [];
    const prefix = (indexName: string) => `index-global~${tableName}~${indexName}~`;
    const entryKeys = (item: Record<string, unknown>) => {
      const av = marshall(item, { removeUndefinedValues: true }) as Record<string, unknown>;
      return indexes
        .filter((ix) => ix.KeySchema.every((k) => av[k.AttributeName] !== undefined))
        .map((ix) => ({ key: prefix(ix.IndexName) + dynaliteDb.createIndexKey(av, table, ix.KeySchema), av }));
    };
    return await fn({
      async putIndexEntries(item) {
        for (const e of entryKeys(item)) await db.put(e.key, e.av);
      },
      async deleteIndexEntries(item) {
        for (const e of entryKeys(item)) await db.del(e.key);
      },
      async countEntries(indexName, pk) {
        let n = 0;
        const p = prefix(indexName);
        for await (const key of db.keys({ gte: p, lt: `${p}\uffff` })) {
          const value = (await db.get(key)) as { pk?: { S?: string } };
          if (value.pk?.S === pk) n++;
        }
        return n;
      },
    });
  } finally {
    await db.close();
  }
}
