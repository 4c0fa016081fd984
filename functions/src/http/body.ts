import { msg, type Lang } from "../../../shared/src/errors.js";
import { httpErrors } from "./errors.js";

const NOT_UTF8 = { zh: "请求体不是有效的 UTF-8", en: "the body is not valid UTF-8" };
const utf8 = new TextDecoder("utf-8", { fatal: true });
/** A lone surrogate: text that was not well-formed UTF-16, so not the UTF-8 the client sent. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The request body as JSON: `Content-Type: application/json` (charset, if given, UTF-8) and no
 * `Content-Encoding`, else 415; bytes that are not UTF-8 or not JSON are a 400 — decoded with a
 * fatal decoder, so nothing is silently replaced by U+FFFD. `text` is the gateway's string form of
 * a body that was not base64-encoded. `headers` are lower-cased.
 */
export function parseJsonBody(headers: Record<string, string>, raw: Buffer, text: string | undefined, lang: Lang): unknown {
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && encoding.trim() !== "") {
    throw httpErrors.unsupportedMediaType({ zh: "不接受压缩的请求体", en: "compressed request bodies are not accepted" }, [
      { path: "Content-Encoding", message: msg(lang, `请发送未压缩的请求体（收到 ${encoding.slice(0, 40)}）`, `send the body uncompressed (got ${encoding.slice(0, 40)})`) },
    ]);
  }
  const [mediaType = "", ...params] = (headers["content-type"] ?? "").split(";");
  const charset = params.map((x) => /^\s*charset\s*=\s*"?([^"]*)"?\s*$/i.exec(x)?.[1]).find((x) => x !== undefined);
  if (mediaType.trim().toLowerCase() !== "application/json" || (charset !== undefined && charset.toLowerCase() !== "utf-8")) {
    throw httpErrors.unsupportedMediaType({ zh: "请求体必须是 JSON", en: "the body must be JSON" }, [
      { path: "Content-Type", message: msg(lang, "应为 application/json（UTF-8）", "expected application/json (UTF-8)") },
    ]);
  }
  let decoded: string;
  try {
    if (text !== undefined && LONE_SURROGATE.test(text)) throw new TypeError("lone surrogate");
    decoded = utf8.decode(raw);
  } catch {
    throw httpErrors.badRequest(NOT_UTF8, [{ path: "", message: NOT_UTF8[lang] }]);
  }
  try {
    return JSON.parse(decoded);
  } catch {
    throw httpErrors.badRequest({ zh: "请求体 JSON 格式错误", en: "malformed JSON body" }, [{ path: "", message: msg(lang, "请求体不是有效的 JSON", "the body is not valid JSON") }]);
  }
}
