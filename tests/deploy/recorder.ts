import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A recording HTTP proxy in front of DynamoDB Local, on 127.0.0.1. A bundle cannot be given SDK
 * middleware, so its calls are seen on the wire instead: the `X-Amz-Target` header names the
 * action (`DynamoDB_20120810.Query`) and the JSON body the table and index. One proxy per
 * function, so every call is attributed to the function that made it.
 */
export interface RecordedCall {
  /** IAM action, e.g. `dynamodb:Query`. */
  action: string;
  /** Table names (several for a batch over several tables). */
  tables: string[];
  /** Index name of a Query/Scan on an index. */
  index?: string;
  status: number;
  /** `__type` of an error answer, e.g. `…#ConditionalCheckFailedException`. */
  errorType?: string;
}

export interface Recorder {
  endpoint: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

type Body = Record<string, any>;

function tablesOf(body: Body): string[] {
  if (typeof body.TableName === "string") return [body.TableName];
  if (body.RequestItems && typeof body.RequestItems === "object") return Object.keys(body.RequestItems);
  if (Array.isArray(body.TransactItems)) {
    return [...new Set(body.TransactItems.flatMap((t: Body) => Object.values(t).map((op) => (op as Body).TableName as string)))];
  }
  return [];
}

export async function startRecorder(upstream: string): Promise<Recorder> {
  const target = new URL(upstream);
  const calls: RecordedCall[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const amzTarget = String(req.headers["x-amz-target"] ?? "");
      let body: Body = {};
      try {
        body = JSON.parse(raw.toString("utf8") || "{}") as Body;
      } catch {
        // recorded with no table: the assertion on tables fails loudly
      }
      const call: RecordedCall = {
        action: `dynamodb:${amzTarget.slice(amzTarget.indexOf(".") + 1)}`,
        tables: tablesOf(body),
        ...(typeof body.IndexName === "string" ? { index: body.IndexName } : {}),
        status: 0,
      };
      calls.push(call);
      const up = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
        (upRes) => {
          call.status = upRes.statusCode ?? 0;
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          if (call.status !== 200) {
            const err: Buffer[] = [];
            upRes.on("data", (c: Buffer) => err.push(c));
            upRes.on("end", () => {
              try {
                call.errorType = String((JSON.parse(Buffer.concat(err).toString("utf8")) as Body).__type);
              } catch {
                call.errorType = "unreadable";
              }
            });
          }
          upRes.pipe(res);
        },
      );
      up.on("error", (e) => {
        call.status = 502;
        res.writeHead(502).end(String(e));
      });
      up.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
