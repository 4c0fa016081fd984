import { Combobox, Field, Option } from "@fluentui/react-components";
import { useEffect, useMemo, useState } from "react";
import { currentQuarter, hasRole, isManager, lastCompleteQuarter, periodChoices, periodLabel, today, type Role, type Team, type User } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { usePane } from "../context.js";

/**
 * Choosing people, teams and periods by name (never by id). One picker (`NamePicker`) does the
 * work: a filterable combobox over `{id, label}` choices that reports ids; `UserPicker`,
 * `TeamPicker` and `PeriodPicker` give it the directory's users (optionally of one role), the
 * tenant's teams and the periods around today.
 */
export interface Choice {
  id: string;
  label: string;
}

export interface NamePickerProps {
  label: string;
  choices: readonly Choice[];
  /** Selected ids. */
  value: readonly string[];
  onChange: (ids: string[]) => void;
  multiselect?: boolean;
  testId: string;
  disabled?: boolean;
  hint?: string;
}

export function NamePicker({ label, choices, value, onChange, multiselect, testId, disabled, hint }: NamePickerProps) {
  const { t } = usePane();
  const [query, setQuery] = useState<string | undefined>();
  const q = query?.normalize("NFKC").trim().toLowerCase() ?? "";
  const shown = q ? choices.filter((c) => c.label.normalize("NFKC").toLowerCase().includes(q)) : choices;
  const selectedText = value.map((id) => choices.find((c) => c.id === id)?.label ?? id).join(", ");
  return (
    <Field label={label} hint={hint}>
      <Combobox
        data-testid={testId}
        style={{ minWidth: 0, width: "100%" }}
        input={{ style: { minWidth: 0 } }}
        multiselect={multiselect}
        disabled={disabled}
        placeholder={t("pickerFilter")}
        value={query ?? selectedText}
        selectedOptions={[...value]}
        onChange={(e) => setQuery(e.target.value)}
        onOpenChange={(_, d) => { if (!d.open) setQuery(undefined); }}
        onOptionSelect={(_, d) => {
          onChange(d.selectedOptions.filter((x) => x !== ""));
          if (!multiselect) setQuery(undefined);
        }}
      >
        {shown.map((c) => <Option key={c.id} value={c.id} text={c.label}>{c.label}</Option>)}
        {shown.length === 0 && <Option key="" value="" text="" disabled>{t("pickerNone")}</Option>}
      </Combobox>
    </Field>
  );
}

/** The directory (users and team names), loaded once per page for the signed-in user. */
export interface Directory {
  users: User[];
  teams: Team[];
  /** Loaded for the current session (a directory of an earlier session does not count). */
  loaded: boolean;
  error?: string;
  /** Load it again (after a failure). */
  reload?: () => void;
}

export function useDirectory(): Directory {
  const { client, session, lang } = usePane();
  const token = session?.token;
  const [attempt, setAttempt] = useState(0);
  const [dir, setDir] = useState<Directory & { token?: string }>({ users: [], teams: [], loaded: false });
  useEffect(() => {
    if (!token) return;
    // A newer session (or retry) supersedes this request: its late answer is dropped.
    let live = true;
    setDir((d) => ({ ...d, loaded: false }));
    void Promise.all([client.users(), client.teams()]).then(([u, tm]) => {
      if (!live) return;
      const error = !u.ok ? describeApiError(u.error, lang) : !tm.ok ? describeApiError(tm.error, lang) : undefined;
      setDir({ users: u.ok ? u.value.items : [], teams: tm.ok ? tm.value.items : [], loaded: true, token, ...(error ? { error } : {}) });
    });
    return () => { live = false; };
  }, [client, token, attempt]);
  const { token: loadedFor, ...rest } = dir;
  return { ...rest, loaded: rest.loaded && loadedFor === token, reload: () => setAttempt((n) => n + 1) };
}

/** A user's name from the directory (the id only when the directory does not know them). */
export function userName(dir: Directory, id: string | undefined): string {
  return id === undefined ? "" : (dir.users.find((u) => u.id === id)?.name ?? id);
}

/** A team's name (docs/contracts.md §9); a team id no name was given for shows as the id. */
export function teamName(dir: Directory, id: string | undefined): string {
  return id === undefined ? "" : (dir.teams.find((x) => x.id === id)?.name ?? id);
}

/** Teams known to the tenant: the named ones and any id users carry. */
export function teamChoices(dir: Directory): Choice[] {
  const ids = new Set([...dir.teams.map((x) => x.id), ...dir.users.flatMap((u) => (u.team ? [u.team] : []))]);
  return [...ids].map((id) => ({ id, label: teamName(dir, id) })).sort((a, b) => a.label.localeCompare(b.label, "zh"));
}

export function userChoices(dir: Directory, role?: Role, exclude?: string): Choice[] {
  return dir.users
    .filter((u) => (role === undefined || (role === "manager" ? isManager(u) : hasRole(u, role))) && u.id !== exclude)
    .map((u) => ({ id: u.id, label: u.team ? `${u.name}（${teamName(dir, u.team)}）` : u.name }))
    .sort((a, b) => a.label.localeCompare(b.label, "zh"));
}

export function UserPicker(props: Omit<NamePickerProps, "choices"> & { dir: Directory; role?: Role; exclude?: string }) {
  const { dir, role, exclude, ...rest } = props;
  return <NamePicker {...rest} choices={userChoices(dir, role, exclude)} />;
}

export function TeamPicker(props: Omit<NamePickerProps, "choices"> & { dir: Directory }) {
  const { dir, ...rest } = props;
  return <NamePicker {...rest} choices={teamChoices(dir)} />;
}

/** Default period: the current quarter (targets) or the last complete one (collections, scorecards). */
export function defaultPeriod(kind: "current" | "lastComplete"): string {
  const d = today();
  return kind === "current" ? currentQuarter(d) : lastCompleteQuarter(d);
}

export function PeriodPicker({ value, onChange, testId, quartersOnly }: { value: string; onChange: (id: string) => void; testId: string; quartersOnly?: boolean }) {
  const { t, lang } = usePane();
  const choices = useMemo(
    () => periodChoices(today(), quartersOnly ? ["quarter"] : ["quarter", "half", "year"]).map((id) => ({ id, label: periodLabel(id, lang) })),
    [lang, quartersOnly],
  );
  return <NamePicker label={t("period")} choices={choices} value={[value]} onChange={(ids) => ids[0] && onChange(ids[0])} testId={testId} />;
}
