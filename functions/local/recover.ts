import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { GSI_CHANGES, GSI_OWNER, keys } from "../src/store/table.js";

const ITEM_SK = keys.itemSk;

/**
 * Index recovery of the local store after it died (a `kill -9` of dynalite, or of the whole stack).
 * dynalite writes a PutItem as: delete the item's old index entries, put the new ones, put the
 * item — separate LevelDB writes. Killed in between, an item can be left with no index entry at
 * all, invisible to every list. (The opposite — an entry whose item never committed — is skipped
 * and repaired by the store's index reads, entity.ts `readIndexPage`.) On AWS the service
 * maintains the indexes; this exists only for the local engine, and runs only after an unclean
 * stop, never in a request path.
 *
 * Scans each index and the entity items, and re-indexes every item an index lacks with an
 * UpdateItem that changes nothing (conditioned on the version read): dynalite writes its index
 * entries again. Entries whose item does not exist are removed. Returns how many items were
 * re-indexed and how many items' orphan entries were removed.
 */
export async function recoverIndexes(endpoint: string, table: string): Promise<{ reindexed: number; removed: number }> {
  const client = new DynamoDBClient({ endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const doc = DynamoDBDocumentClient.from(client);
  try {
    const scan = async (input: { IndexName?: string; ProjectionExpression: string; FilterExpression?: string }) => {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const res = await doc.send(new ScanCommand({ TableName: table, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
        out.push(...((res.Items ?? []) as Record<string, unknown>[]));
        start = res.LastEvaluatedKey;
      } while (start);
      return out;
    };
    const entryKey = (pk: unknown, ipk: unknown, isk: unknown) => `${String(pk)}\u0000${String(ipk)}\u0000${String(isk)}`;
    const [changes, owners, items] = await Promise.all([
      scan({ IndexName: GSI_CHANGES, ProjectionExpression: "pk, gsi1pk, gsi1sk" }),
      scan({ IndexName: GSI_OWNER, ProjectionExpression: "pk, gsi2pk, gsi2sk" }),
      scan({ ProjectionExpression: "pk, sk, version, gsi1pk, gsi1sk, gsi2pk, gsi2sk", FilterExpression: "attribute_exists(gsi1pk)" }),
    ]);
    const inChanges = new Set(changes.map((e) => entryKey(e.pk, e.gsi1pk, e.gsi1sk)));
    const inOwners = new Set(owners.map((e) => entryKey(e.pk, e.gsi2pk, e.gsi2sk)));
    let reindexed = 0;
    let removed = 0;
    for (const item of items) {
      const lacks =
        !inChanges.has(entryKey(item.pk, item.gsi1pk, item.gsi1sk)) ||
        (item.gsi2pk !== undefined && !inOwners.has(entryKey(item.pk, item.gsi2pk, item.gsi2sk)));
      if (!lacks) continue;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: "SET gsi1sk = :k",
            ConditionExpression: "version = :v",
            ExpressionAttributeValues: { ":k": item.gsi1sk, ":v": item.version },
          }),
        );
        reindexed++;
      } catch (e) {
        // Written meanwhile: that write indexed it.
        if ((e as { name?: string }).name !== "ConditionalCheckFailedException") throw e;
      }
    }
    // Entries of items that never committed (a create killed after its index writes): a placeholder
    // item takes their keys and is deleted at once, which makes dynalite delete those entries. Never
    // a real item: the put needs the key free, the delete an item without a version.
    const itemPks = new Set(items.map((i) => String(i.pk)));
    const orphans = new Map<string, Record<string, unknown>>();
    for (const e of changes) if (!itemPks.has(String(e.pk))) orphans.set(String(e.pk), { ...orphans.get(String(e.pk)), gsi1pk: e.gsi1pk, gsi1sk: e.gsi1sk });
    for (const e of owners) if (!itemPks.has(String(e.pk))) orphans.set(String(e.pk), { ...orphans.get(String(e.pk)), gsi2pk: e.gsi2pk, gsi2sk: e.gsi2sk });
    for (const [pk, indexKeys] of orphans) {
      const key = { pk, sk: ITEM_SK };
      try {
        await doc.send(new PutCommand({ TableName: table, Item: { ...key, ...indexKeys }, ConditionExpression: "attribute_not_exists(pk)" }));
        await doc.send(new DeleteCommand({ TableName: table, Key: key, ConditionExpression: "attribute_not_exists(version)" }));
        removed++;
      } catch (e) {
        if ((e as { name?: string }).name !== "ConditionalCheckFailedException") throw e;
      }
    }
    return { reindexed, removed };
  } finally {
    client.destroy();
  }
}
