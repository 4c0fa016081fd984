/**
 * Sign-in.
 * - In Excel: Office SSO, `OfficeRuntime.auth.getAccessToken`, with the documented fallback to a
 *   dialog (`Office.context.ui.displayDialogAsync` on the add-in's `auth.html`, which runs the
 *   authorization-code flow with PKCE against Entra and `messageParent`s the token — see
 *   addin/src/auth/) when SSO is unavailable; which error does what: `ssoErrorAction`.
 * - Against the local stack: "dev sign-in" — pick a demo user from `GET /dev/users`, get a token
 *   from `POST /dev/token`.
 * The session is shared with the custom functions (`session.ts`) and refreshed before expiry.
 */
/// <reference types="office-js" />
import type { Bilingual, Lang } from "../../../shared/src/index.js";
import { setSession, getSession, type Session } from "./session.js";

export interface DevUser {
  sub: string;
  tid: string;
  name: string;
  roles: string[];
  team?: string;
}

/** Refresh this long before the token expires. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

/** A failed sign-in step; `unreachable` when the store could not be reached at all (no answer). */
export type AuthResult<T> = { ok: true; value: T } | { ok: false; message: string; unreachable?: true };

/** Expiry (epoch ms) from a JWT's `exp` claim; undefined if unreadable. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const part = token.split(".")[1];
    if (!part) return undefined;
    const json = JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=")));
    return typeof json.exp === "number" ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function devUsers(apiBase: string, f: typeof fetch = fetch): Promise<AuthResult<DevUser[]>> {
  try {
    const r = await f(`${apiBase}/dev/users`);
    if (!r.ok) return { ok: false, message: `${r.status} ${r.statusText}` };
    const j = (await r.json()) as { items: DevUser[] };
    return { ok: true, value: j.items };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e), unreachable: true };
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Sign in as a demo user of the local stack; schedules the refresh. */
export async function devSignIn(apiBase: string, user: DevUser, f: typeof fetch = fetch): Promise<AuthResult<Session>> {
  try {
    const r = await f(`${apiBase}/dev/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sub: user.sub, tid: user.tid, name: user.name, roles: user.roles }),
    });
    if (!r.ok) return { ok: false, message: `${r.status} ${await r.text()}` };
    const { token } = (await r.json()) as { token: string };
    const session: Session = {
      apiBase,
      token,
      expiresAt: tokenExpiry(token) ?? Date.now() + 3600_000,
      user: { id: user.sub, name: user.name, tenant: user.tid, roles: user.roles },
    };
    setSession(session);
    scheduleRefresh(session, () => devSignIn(apiBase, user, f));
    return { ok: true, value: session };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e), unreachable: true };
  }
}

/**
 * What to do with an error from `OfficeRuntime.auth.getAccessToken` — Microsoft's "Troubleshoot
 * error messages for single sign-on (SSO)" and its SSO samples: a few codes need the user (a
 * message, no dialog); every other one, including 13000 (no SSO in this Office), 13003 (account
 * type not supported), 13005, 13007, 13012 (platform without SSO) and 50001, falls back to the
 * sign-in dialog.
 */
export type SsoErrorAction = { action: "fallback" } | { action: "message"; message: Bilingual };

export const SSO_ERROR_MESSAGES: Readonly<Record<number, Bilingual>> = {
  // The user cancelled sign-in or consent: say so and let them press the button again (no dialog).
  13002: { zh: "登录或授权已取消。需要时请再次点击登录。", en: "Sign-in or consent was cancelled. Press Sign in again when you are ready." },
  // Office on the web: expired cookies and other client problems.
  13006: { zh: "Office 登录状态异常：请保存工作，注销 Office，关闭所有 Office 应用后重新打开。", en: "Office could not sign you in: save your work, sign out of Office, close all Office applications and start again." },
  13008: { zh: "上一次登录尚未完成，请稍后再试。", en: "A previous sign-in is still in progress; try again when it has finished." },
  13010: { zh: "请按提示调整浏览器的安全区域设置后再试。", en: "Follow the instructions to change your browser's zone configuration, then try again." },
  13013: { zh: "登录请求过于频繁，请稍后再试。", en: "Sign-in was requested too often; wait a moment and try again." },
};

export function ssoErrorAction(code: number | undefined): SsoErrorAction {
  const message = code === undefined ? undefined : SSO_ERROR_MESSAGES[code];
  // 13001 (not signed in to Office) cannot come back with allowSignInPrompt: true unless Office
  // cannot prompt; the dialog signs the user in to Entra instead (documented alternative).
  return message ? { action: "message", message } : { action: "fallback" };
}

/** Messages for the dialog's own failures (DialogEventReceived codes) and its error messages. */
export const DIALOG_EVENT_MESSAGES: Readonly<Record<number, Bilingual>> = {
  12002: { zh: "无法打开登录页（auth.html 不存在或地址错误）。", en: "The sign-in page could not be loaded (auth.html missing or wrong URL)." },
  12003: { zh: "登录页必须使用 HTTPS。", en: "The sign-in page must be served over HTTPS." },
  12006: { zh: "登录窗口已关闭。", en: "The sign-in window was closed." },
};

export interface OfficeSignInOptions {
  /** The sign-in dialog page (`https://<add-in host>/auth.html`). */
  dialogUrl: string;
  /** Language of the returned messages. */
  lang?: Lang;
  /** Refresh silently (`prompt=none` in the dialog) — used by the refresh timer. */
  silent?: boolean;
}

interface OfficeRuntimeAuth { auth: { getAccessToken(o: object): Promise<string> } }

/**
 * Office SSO with the dialog fallback (Microsoft's documented pattern). The session's user comes
 * from the token's claims (oid/sub, name, tid, roles); it is refreshed before expiry by the same
 * route (SSO again, else the dialog with `prompt=none`, which completes on Entra's session cookie).
 */
export async function officeSignIn(apiBase: string, opts: OfficeSignInOptions | string): Promise<AuthResult<Session>> {
  const o: OfficeSignInOptions = typeof opts === "string" ? { dialogUrl: opts } : opts;
  const lang = o.lang ?? "en";
  let token: string;
  let expiresAt: number | undefined;
  const runtime = (globalThis as { OfficeRuntime?: OfficeRuntimeAuth }).OfficeRuntime;
  try {
    if (!runtime?.auth?.getAccessToken) throw { code: 13000, message: "SSO not available" };
    token = await runtime.auth.getAccessToken({ allowSignInPrompt: !o.silent, allowConsentPrompt: !o.silent, forMSGraphAccess: false });
  } catch (e) {
    const code = typeof (e as { code?: unknown })?.code === "number" ? (e as { code: number }).code : undefined;
    const action = ssoErrorAction(code);
    if (action.action === "message") return { ok: false, message: action.message[lang] };
    const url = o.silent ? withQuery(o.dialogUrl, "prompt", "none") : o.dialogUrl;
    const viaDialog = await dialogToken(url, lang);
    if (!viaDialog.ok) return viaDialog;
    token = viaDialog.value.token;
    expiresAt = viaDialog.value.expiresAt;
  }
  const user = userFromToken(token);
  const session: Session = { apiBase, token, expiresAt: expiresAt ?? tokenExpiry(token) ?? Date.now() + 3600_000, ...(user ? { user } : {}) };
  setSession(session);
  scheduleRefresh(session, () => officeSignIn(apiBase, { ...o, silent: true }));
  return { ok: true, value: session };
}

/** The signed-in user from an access token's claims (Entra v2: oid, name, tid, roles). */
export function userFromToken(token: string): Session["user"] | undefined {
  const c = claimsOf(token);
  if (!c) return undefined;
  const id = str(c.oid) ?? str(c.sub);
  if (!id) return undefined;
  const roles = Array.isArray(c.roles) ? c.roles.filter((r): r is string => typeof r === "string") : [];
  return { id, name: str(c.name) ?? str(c.preferred_username) ?? id, tenant: str(c.tid) ?? "", roles };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

function claimsOf(token: string): Record<string, unknown> | undefined {
  try {
    const part = token.split(".")[1];
    if (!part) return undefined;
    const bin = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const json = new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
    const v = JSON.parse(json) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function withQuery(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

/**
 * Open auth.html in an Office dialog and wait for its one message (`addin/src/auth/flow.ts`):
 * `{token, expiresAt}` or `{error, message}`. A message from another origin is refused (the
 * dialog only ever messages from the add-in's own page).
 */
export function dialogToken(url: string, lang: Lang = "en"): Promise<AuthResult<{ token: string; expiresAt?: number }>> {
  const origin = new URL(url).origin;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: AuthResult<{ token: string; expiresAt?: number }>) => {
      if (!settled) { settled = true; resolve(r); }
    };
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30 }, (res) => {
      if (res.status !== Office.AsyncResultStatus.Succeeded) return done({ ok: false, message: res.error.message });
      const dialog = res.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        const a = arg as { message?: string; origin?: string };
        if (a.origin !== undefined && a.origin !== origin) return; // not our page: ignore
        dialog.close();
        try {
          const j = JSON.parse(a.message ?? "") as { token?: unknown; expiresAt?: unknown; error?: unknown; message?: unknown };
          if (typeof j.token === "string" && j.token) {
            done({ ok: true, value: { token: j.token, ...(typeof j.expiresAt === "number" ? { expiresAt: j.expiresAt } : {}) } });
          } else {
            done({ ok: false, message: typeof j.message === "string" ? j.message : String(j.error ?? "sign-in failed") });
          }
        } catch {
          done({ ok: false, message: lang === "zh" ? "登录失败：无法读取登录窗口的答复。" : "Sign-in failed: the dialog's answer could not be read." });
        }
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) => {
        const code = (arg as { error?: number }).error;
        const m = code === undefined ? undefined : DIALOG_EVENT_MESSAGES[code];
        done({ ok: false, message: m ? m[lang] : `${lang === "zh" ? "登录窗口出错" : "Sign-in dialog error"} ${code ?? ""}`.trim() });
      });
    });
  });
}

function scheduleRefresh(s: Session, again: () => Promise<unknown>): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  const wait = Math.max(10_000, s.expiresAt - Date.now() - REFRESH_BEFORE_MS);
  refreshTimer = setTimeout(() => {
    if (getSession()?.token === s.token) void again();
  }, Math.min(wait, 2 ** 31 - 1));
}

export function signOut(): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  setSession(undefined);
}
