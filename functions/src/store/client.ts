import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { Logger } from "@smithy/types";
import { DEFAULT_TABLE_NAME, TABLE_NAME_ENV } from "./table.js";

/**
 * The store context every store function takes: a DocumentClient, the table name and, for the one
 * hot write, a plain client (`putItem`).
 * Production: `TABLE_NAME` from the Lambda environment, default AWS endpoint and credentials.
 * Local: `DYNAMODB_ENDPOINT` (dynalite / DynamoDB Local) with dummy credentials.
 */
export interface StoreContext {
  doc: DynamoDBDocumentClient;
  table: string;
  /**
   * A plain DynamoDBClient with `cacheMiddleware` (the DocumentClient refuses that option): the
   * resolved middleware stack is kept instead of being rebuilt on every call. Used by `putItem`,
   * the per-row conditional PutItem of batch writes. Absent: `putItem` goes through `doc`.
   */
  raw?: DynamoDBClient;
}

export const DYNAMODB_ENDPOINT_ENV = "DYNAMODB_ENDPOINT";

/**
 * The SDK's own logging is unused (the store logs through http/log.ts). The SDK's logger
 * middleware calls `logger?.info?.(…)` with a sensitive-data-filtered copy of every request and
 * response; leaving `info` out skips building that copy on each call (≈ 3 % of the API's CPU in
 * the sync benchmark). Warnings still reach stderr.
 */
const QUIET_SDK_LOGGER = {
  debug: () => {},
  warn: (...args: unknown[]) => console.warn(...args),
  error: () => {},
} as unknown as Logger;

export interface ClientOptions {
  endpoint?: string;
  region?: string;
}

const MARSHALL_OPTIONS = Object.freeze({ removeUndefinedValues: true, convertClassInstanceToMap: false });

function createClient(opts: ClientOptions, cacheMiddleware: boolean): DynamoDBClient {
  const endpoint = opts.endpoint;
  return new DynamoDBClient({
    ...(endpoint
      ? { endpoint, region: opts.region ?? "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : opts.region
        ? { region: opts.region }
        : {}),
    // The store retries throttles and unprocessed batch items itself (retry.ts).
    maxAttempts: 5,
    logger: QUIET_SDK_LOGGER,
    cacheMiddleware,
  });
}

/** A DocumentClient: `undefined` fields dropped, empty strings kept (DynamoDB accepts them). */
export function createDocumentClient(opts: ClientOptions = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createClient(opts, false), {
    // A copy: lib-dynamodb writes into the options it is given (convertTopLevelContainer).
    marshallOptions: { ...MARSHALL_OPTIONS },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/** The full store context (DocumentClient + plain client for `putItem`). */
export function createStoreContext(opts: ClientOptions & { table: string }): StoreContext {
  return { doc: createDocumentClient(opts), raw: createClient(opts, true), table: opts.table };
}

/** Release both clients' sockets. */
export function destroyStoreContext(ctx: StoreContext): void {
  ctx.doc.destroy();
  ctx.raw?.destroy();
}

export interface PutItemInput {
  Item: Record<string, unknown>;
  ConditionExpression?: string;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * One PutItem, marshalled as the DocumentClient would (same options). Through `ctx.raw` when
 * present: marshalling directly costs less client CPU per call than the DocumentClient, and a
 * batch sync makes one such call per row (`npm run bench -- store`; figures in
 * docs/benchmarks.md). A failed condition throws
 * ConditionalCheckFailedException either way.
 */
export async function putItem(ctx: StoreContext, input: PutItemInput): Promise<void> {
  if (!ctx.raw) {
    await ctx.doc.send(new PutCommand({ TableName: ctx.table, ...input }));
    return;
  }
  await ctx.raw.send(
    new PutItemCommand({
      TableName: ctx.table,
      Item: marshall(input.Item, MARSHALL_OPTIONS),
      ...(input.ConditionExpression ? { ConditionExpression: input.ConditionExpression } : {}),
      ...(input.ExpressionAttributeValues ? { ExpressionAttributeValues: marshall(input.ExpressionAttributeValues, MARSHALL_OPTIONS) } : {}),
    }),
  );
}

let current: StoreContext | undefined;

/** The process-wide context (lazily from the environment unless set by the local stack or a test). */
export function storeContext(): StoreContext {
  if (!current) {
    const endpoint = process.env[DYNAMODB_ENDPOINT_ENV];
    current = createStoreContext({ ...(endpoint ? { endpoint } : {}), table: process.env[TABLE_NAME_ENV] ?? DEFAULT_TABLE_NAME });
  }
  return current;
}

export function setStoreContext(ctx: StoreContext | undefined): void {
  current = ctx;
}
