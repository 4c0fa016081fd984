/**
 * The signed-in session, shared by the taskpane and the custom functions (one JavaScript
 * context in the shared runtime — docs/platform.md §1). The pane signs in and
 * sets it; the functions' batcher reads it. Nothing here touches Office or the network.
 */
export interface Session {
  /** Base URL of the KAM API, e.g. `http://127.0.0.1:3001` locally. No trailing slash. */
  apiBase: string;
  /** Bearer token (JWT). */
  token: string;
  /** Token expiry, epoch milliseconds. */
  expiresAt: number;
  user?: { id: string; name: string; tenant: string; roles: string[] };
}

type Listener = (s: Session | undefined) => void;

let current: Session | undefined;
const listeners = new Set<Listener>();

export function getSession(): Session | undefined {
  return current;
}

export function setSession(s: Session | undefined): void {
  current = s;
  for (const l of listeners) l(s);
}

/** Subscribe to sign-in / sign-out / token refresh; returns the unsubscribe function. */
export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

type DataListener = () => void;
const dataListeners = new Set<DataListener>();

/** Announce that store data changed (after a sync): the functions' cache drops its entries. */
export function notifyDataChanged(): void {
  for (const l of dataListeners) l();
}

export function onDataChanged(l: DataListener): () => void {
  dataListeners.add(l);
  return () => dataListeners.delete(l);
}
