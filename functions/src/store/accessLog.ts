import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import type { StoreContext } from "./client.js";
import { keys } from "./table.js";

/**
 * docs/domain.md §9: "reading a whole archive is a recorded event". One item per read in the tenant's
 * access log for that day (`T#<tenant>#ACCESS#<YYYY-MM-DD>`): who, when, which accounts, how much
 * of them they saw. No personal values are logged.
 */
export interface ArchiveRead {
  by: string;
  kind: "account" | "list" | "history";
  accountIds: string[];
  /** `full` when confidential personal details were included. */
  view: string;
}

export async function recordArchiveRead(ctx: StoreContext, tenant: string, read: ArchiveRead): Promise<void> {
  if (read.accountIds.length === 0) return;
  const at = new Date().toISOString();
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.table,
      Item: {
        pk: keys.accessPk(tenant, at.slice(0, 10)),
        sk: `${at}#${read.by}#${randomUUID()}`,
        ent: "ACCESS",
        tenant,
        at,
        ...read,
      },
    }),
  );
}
