import { Button, Field, Input, Spinner, Text } from "@fluentui/react-components";
import { Suspense, lazy, useState } from "react";
import { ROLES } from "../../../../shared/src/labels.js";
import { devSignIn, devUsers, officeSignIn, signOut, type DevUser } from "../../api/auth.js";
import { unreachableMessage } from "../../api/client.js";
import { usePane } from "../context.js";
import { Notice } from "../components/Notice.js";

/** The local stack's user picker (a dropdown), loaded once its users are: Office sign-in needs none. */
const UserPicker = lazy(() => import("../components/UserPicker.js"));

/** Sign-in and status: who, role, store, last sync. */
export default function SignIn() {
  const { t, lang, session, apiBase: defaultBase, lastSync, host } = usePane();
  const [apiBase, setApiBase] = useState(session?.apiBase ?? defaultBase);
  const [users, setUsers] = useState<DevUser[]>([]);
  const [pick, setPick] = useState<string>();
  const [error, setError] = useState<string>();
  // The browser's own text for an unreachable store ("Failed to fetch") is English only.
  const failure = (r: { message: string; unreachable?: true }) => (r.unreachable ? unreachableMessage(lang, r.message) : r.message);
  const loadUsers = async () => {
    const r = await devUsers(apiBase);
    if (r.ok) { setUsers(r.value); setError(undefined); } else setError(failure(r));
  };
  const signIn = async () => {
    const u = users.find((x) => x.sub === pick);
    if (!u) return;
    const r = await devSignIn(apiBase, u);
    setError(r.ok ? undefined : failure(r));
  };
  const roleLabel = (r: string) => { const id = ROLES.parse(r); return id ? ROLES.label(id, lang) : r; };
  return (
    <section aria-label={t("tabSignIn")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      {session?.user ? (
        <dl data-testid="status" style={{ margin: 0 }}>
          <dt><Text weight="semibold">{t("signedInAs")}</Text></dt><dd>{session.user.name}</dd>
          <dt><Text weight="semibold">{t("role")}</Text></dt><dd>{session.user.roles.map(roleLabel).join(", ")}</dd>
          <dt><Text weight="semibold">{t("store")}</Text></dt><dd title={session.user.tenant}>{session.apiBase}</dd>
          <dt><Text weight="semibold">{t("lastSync")}</Text></dt><dd>{lastSync ?? t("never")}</dd>
        </dl>
      ) : (
        <Notice intent="info" text={t("notSignedIn")} />
      )}
      {host === "excel" && (
        <Button appearance="primary" onClick={() => void officeSignIn(apiBase, { dialogUrl: new URL("auth.html", location.href).href.replace(/\?.*$/s, ""), lang }).then((r) => setError(r.ok ? undefined : r.message))}>{t("officeSignIn")}</Button>
      )}
      <Text weight="semibold">{t("devSignIn")}</Text>
      <Field label={t("apiBase")}>
        <Input value={apiBase} onChange={(_, d) => setApiBase(d.value)} />
      </Field>
      <Button onClick={() => void loadUsers()} data-testid="load-users">{t("loadUsers")}</Button>
      {users.length > 0 && (
        <Suspense fallback={<Spinner size="tiny" label={t("loading")} />}>
          <UserPicker label={t("demoUser")} users={users} pick={pick} setPick={setPick} roleLabel={roleLabel} />
        </Suspense>
      )}
      <div style={{ display: "flex", gap: 4 }}>
        <Button appearance="primary" disabled={!pick} onClick={() => void signIn()} data-testid="sign-in">{t("signIn")}</Button>
        {session && <Button onClick={signOut}>{t("signOut")}</Button>}
      </div>
      <Notice intent="error" text={error} />
    </section>
  );
}
