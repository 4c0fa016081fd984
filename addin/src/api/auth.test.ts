/**
 * The pane side of Office sign-in: what each `getAccessToken` error does (Microsoft's
 * "Troubleshoot error messages for single sign-on (SSO)"), the dialog fallback's messages, and the
 * refresh before expiry. Only the platform APIs are stubbed: `OfficeRuntime.auth.getAccessToken`
 * and `Office.context.ui.displayDialogAsync` (with the dialog's two events).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REFRESH_BEFORE_MS, officeSignIn, signOut, ssoErrorAction, userFromToken } from "./auth.js";
import { getSession } from "./session.js";

const API = "https://api.example.com";
const DIALOG = "https://localhost:3000/auth.html";

function b64url(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}
function jwt(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}.sig`;
}

type Handler = (arg: unknown) => void;
interface FakeDialog { handlers: Record<string, Handler>; closed: boolean }

let dialogs: { url: string; dialog: FakeDialog }[];
let ssoCalls: object[];
/** What the dialog does once opened (drives its handlers). */
let onDialog: (d: FakeDialog) => void;
let sso: () => Promise<string>;

beforeEach(() => {
  dialogs = [];
  ssoCalls = [];
  onDialog = () => {};
  sso = () => Promise.reject({ code: 13000 });
  (globalThis as Record<string, unknown>).OfficeRuntime = {
    auth: { getAccessToken: (o: object) => { ssoCalls.push(o); return sso(); } },
  };
  (globalThis as Record<string, unknown>).Office = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    context: {
      ui: {
        displayDialogAsync(url: string, _o: object, cb: (r: unknown) => void) {
          const dialog: FakeDialog = { handlers: {}, closed: false };
          dialogs.push({ url, dialog });
          cb({
            status: "succeeded",
            value: {
              addEventHandler: (t: string, h: Handler) => { dialog.handlers[t] = h; },
              close: () => { dialog.closed = true; },
            },
          });
          queueMicrotask(() => onDialog(dialog));
        },
      },
    },
  };
});

afterEach(() => {
  signOut();
  vi.useRealTimers();
  delete (globalThis as Record<string, unknown>).OfficeRuntime;
  delete (globalThis as Record<string, unknown>).Office;
});

const dialogToken = jwt({ oid: "u-42", name: "李明", tid: "t-1", roles: ["Manager"], exp: 2_000_000_000 });
const answer = (message: unknown, origin = "https://localhost:3000") => (d: FakeDialog) =>
  d.handlers.dialogMessageReceived!({ message: JSON.stringify(message), origin });

describe("Office SSO errors (Microsoft's SSO troubleshooting table)", () => {
  // 13000 no SSO in this Office / manifest; 13001 not signed in to Office; 13003 account type;
  // 13005 consent not granted; 13007 Office could not get a token; 13012 platform without SSO;
  // 50001 Office.js cache problem; no code at all → fall back to the dialog.
  it.each([13000, 13001, 13003, 13005, 13007, 13012, 50001, undefined])("%s → the sign-in dialog, whose token becomes the session", async (code) => {
    sso = () => Promise.reject(code === undefined ? new Error("boom") : { code, message: "x" });
    onDialog = answer({ token: dialogToken, expiresAt: 1_900_000_000_000 });
    const r = await officeSignIn(API, { dialogUrl: DIALOG });
    expect(dialogs.map((d) => d.url)).toEqual([DIALOG]);
    expect(dialogs[0]!.dialog.closed).toBe(true);
    expect(r.ok).toBe(true);
    expect(getSession()).toMatchObject({ apiBase: API, token: dialogToken, expiresAt: 1_900_000_000_000, user: { id: "u-42", name: "李明", tenant: "t-1", roles: ["Manager"] } });
  });

  it.each([
    [13002, "en", /cancelled/],
    [13002, "zh", /已取消/],
    [13006, "en", /sign out of Office/],
    [13008, "en", /still in progress/],
    [13010, "en", /zone configuration/],
    [13013, "en", /too often/],
  ] as const)("%s (%s) → a message for the user, no dialog, no session", async (code, lang, text) => {
    sso = () => Promise.reject({ code, message: "x" });
    const r = await officeSignIn(API, { dialogUrl: DIALOG, lang });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(text);
    expect(dialogs).toHaveLength(0);
    expect(getSession()).toBeUndefined();
  });

  it("no OfficeRuntime at all counts as 13000: the dialog", async () => {
    delete (globalThis as Record<string, unknown>).OfficeRuntime;
    onDialog = answer({ token: dialogToken });
    const r = await officeSignIn(API, { dialogUrl: DIALOG });
    expect(r.ok).toBe(true);
    expect(dialogs).toHaveLength(1);
    expect(ssoErrorAction(13000)).toEqual({ action: "fallback" });
    expect(ssoErrorAction(13002).action).toBe("message");
  });

  it("SSO success: no dialog; the user comes from the token's claims", async () => {
    const tok = jwt({ sub: "s-1", oid: "o-1", preferred_username: "wang@contoso.com", tid: "t-9", roles: ["Director"], exp: 2_000_000_000 });
    sso = () => Promise.resolve(tok);
    const r = await officeSignIn(API, { dialogUrl: DIALOG });
    expect(r.ok).toBe(true);
    expect(dialogs).toHaveLength(0);
    expect(ssoCalls[0]).toMatchObject({ allowSignInPrompt: true, allowConsentPrompt: true });
    // oid wins over sub; no name claim → preferred_username; exp 2,000,000,000 s → ms
    expect(getSession()).toMatchObject({ token: tok, expiresAt: 2_000_000_000_000, user: { id: "o-1", name: "wang@contoso.com", tenant: "t-9", roles: ["Director"] } });
  });
});

describe("the dialog fallback", () => {
  it("an error message from the dialog is shown, no session", async () => {
    onDialog = answer({ error: "state_mismatch", message: "The sign-in response does not belong to this sign-in (state mismatch)" });
    const r = await officeSignIn(API, { dialogUrl: DIALOG });
    expect(r).toEqual({ ok: false, message: "The sign-in response does not belong to this sign-in (state mismatch)" });
    expect(getSession()).toBeUndefined();
  });

  it("the user closing the dialog (12006) is reported in the pane's language", async () => {
    onDialog = (d) => d.handlers.dialogEventReceived!({ error: 12006 });
    const r = await officeSignIn(API, { dialogUrl: DIALOG, lang: "zh" });
    expect(r).toEqual({ ok: false, message: "登录窗口已关闭。" });
  });

  it("a message from another origin is ignored; the add-in page's own message is taken", async () => {
    const evil = jwt({ oid: "evil", exp: 2_000_000_000 });
    onDialog = (d) => {
      answer({ token: evil }, "https://evil.example.com")(d);
      answer({ token: dialogToken })(d);
    };
    const r = await officeSignIn(API, { dialogUrl: DIALOG });
    expect(r.ok && r.value.token).toBe(dialogToken);
  });
});

describe("refresh before expiry", () => {
  it("SSO again, silently, REFRESH_BEFORE_MS before the token expires", async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 8, 0, 0) });
    const exp1 = Date.UTC(2026, 0, 5, 9, 0, 0) / 1000; // one hour later
    const first = jwt({ oid: "u-1", exp: exp1 });
    const second = jwt({ oid: "u-1", exp: exp1 + 3600 });
    const tokens = [first, second];
    sso = () => Promise.resolve(tokens.shift()!);
    await officeSignIn(API, { dialogUrl: DIALOG });
    expect(getSession()!.token).toBe(first);
    // 60 min − 5 min = 55 min: one millisecond early nothing happens …
    await vi.advanceTimersByTimeAsync(60 * 60_000 - REFRESH_BEFORE_MS - 1);
    expect(ssoCalls).toHaveLength(1);
    // … at 55 min the token is renewed without prompts.
    await vi.advanceTimersByTimeAsync(1);
    expect(ssoCalls).toHaveLength(2);
    expect(ssoCalls[1]).toMatchObject({ allowSignInPrompt: false, allowConsentPrompt: false });
    expect(getSession()!.token).toBe(second);
  });

  it("a dialog session refreshes through the dialog with prompt=none", async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 8, 0, 0) });
    const expiresAt = Date.UTC(2026, 0, 5, 9, 0, 0);
    sso = () => Promise.reject({ code: 13012 });
    onDialog = answer({ token: dialogToken, expiresAt });
    await officeSignIn(API, { dialogUrl: DIALOG });
    await vi.advanceTimersByTimeAsync(55 * 60_000);
    expect(dialogs.map((d) => d.url)).toEqual([DIALOG, `${DIALOG}?prompt=none`]);
  });
});

describe("userFromToken", () => {
  it("reads UTF-8 names and needs an id", () => {
    expect(userFromToken(jwt({ sub: "x", name: "王建国" }))).toEqual({ id: "x", name: "王建国", tenant: "", roles: [] });
    expect(userFromToken(jwt({ name: "no id" }))).toBeUndefined();
    expect(userFromToken("not a jwt")).toBeUndefined();
  });
});
