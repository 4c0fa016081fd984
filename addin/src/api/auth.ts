/**
 * Sign-in (issue 5 §1).
 * - In Excel: Office SSO, `OfficeRuntime.auth.getAccessToken`, with the documented fallback to a
 *   dialog (`Office.context.ui.displayDialogAsync` on the add-in's `auth.html`, which runs MSAL and
 *   `messageParent`s the token) when SSO is unavailable (error 13xxx codes).
 * - Against the local stack: "dev sign-in" — pick a demo user from `GET /dev/users`, get a token
 *   from `POST /dev/token`.
 * The session is shared with the custom functions (`session.ts`) and refreshed before expiry.
 */
/// <reference types="office-js" />
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

export type AuthResult<T> = { ok: true; value: T } | { ok: false; message: string };

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
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
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
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** Office SSO with the dialog fallback (Microsoft's documented pattern). */
export async function officeSignIn(apiBase: string, dialogUrl: string): Promise<AuthResult<Session>> {
  let token: string;
  // OfficeRuntime.auth (office-runtime; its types are not a dependency here)
  const runtime = (globalThis as { OfficeRuntime?: { auth: { getAccessToken(o: object): Promise<string> } } }).OfficeRuntime;
  try {
    if (!runtime) throw { code: 13000, message: "SSO not available" };
    token = await runtime.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true, forMSGraphAccess: false });
  } catch (e) {
    const code = (e as { code?: number }).code;
    // 13xxx: SSO not supported / not configured / consent missing → fall back to the dialog.
    if (code === undefined || (code >= 13000 && code < 14000)) {
      const viaDialog = await dialogToken(dialogUrl);
      if (!viaDialog.ok) return viaDialog;
      token = viaDialog.value;
    } else return { ok: false, message: String((e as { message?: string }).message ?? e) };
  }
  const session: Session = { apiBase, token, expiresAt: tokenExpiry(token) ?? Date.now() + 3600_000 };
  setSession(session);
  scheduleRefresh(session, () => officeSignIn(apiBase, dialogUrl));
  return { ok: true, value: session };
}

function dialogToken(url: string): Promise<AuthResult<string>> {
  return new Promise((resolve) => {
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30 }, (res) => {
      if (res.status !== Office.AsyncResultStatus.Succeeded) return resolve({ ok: false, message: res.error.message });
      const dialog = res.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        dialog.close();
        const msg = (arg as { message?: string }).message ?? "";
        try {
          const j = JSON.parse(msg) as { token?: string; error?: string };
          resolve(j.token ? { ok: true, value: j.token } : { ok: false, message: j.error ?? "sign-in failed" });
        } catch {
          resolve({ ok: false, message: "sign-in failed" });
        }
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () => resolve({ ok: false, message: "sign-in dialog closed" }));
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
