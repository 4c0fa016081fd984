import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Logger } from "@smithy/types";
import { DEFAULT_TABLE_NAME, TABLE_NAME_ENV } from "./table.js";

/**
 * The store context every store function takes: a DocumentClient and the table name.
 * Production: `TABLE_NAME` from the Lambda environment, default AWS endpoint and credentials.
 * Local: `DYNAMODB_ENDPOINT` (dynalite / DynamoDB Local) with dummy credentials.
 */
export interface StoreContext {
  doc: DynamoDBDocumentClient;
  table: string;
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

/** A DocumentClient: `undefined` fields dropped, empty strings kept (DynamoDB accepts them). */
export function createDocumentClient(opts: { endpoint?: string; region?: string } = {}): DynamoDBDocumentClient {
  const endpoint = opts.endpoint;
  const client = new DynamoDBClient({
    ...(endpoint
      ? { endpoint, region: opts.region ?? "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : opts.region
        ? { region: opts.region }
        : {}),
    // The store retries throttles and unprocessed batch items itself (retry.ts).
    maxAttempts: 5,
    logger: QUIET_SDK_LOGGER,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

let current: StoreContext | undefined;

/** The process-wide context (lazily from the environment unless set by the local stack or a test). */
export function storeContext(): StoreContext {
  if (!current) {
    const endpoint = process.env[DYNAMODB_ENDPOINT_ENV];
    current = {
      doc: createDocumentClient(endpoint ? { endpoint } : {}),
      table: process.env[TABLE_NAME_ENV] ?? DEFAULT_TABLE_NAME,
    };
  }
  return current;
}

export function setStoreContext(ctx: StoreContext | undefined): void {
  current = ctx;
}
