import { Dropdown, Field, Option } from "@fluentui/react-components";
import type { DevUser } from "../../api/auth.js";

/** The local stack's users to sign in as, each with its roles and team. */
export default function UserPicker({ label, users, pick, setPick, roleLabel }: { label: string; users: DevUser[]; pick: string | undefined; setPick: (sub: string | undefined) => void; roleLabel: (role: string) => string }) {
  return (
    <Field label={label}>
      <Dropdown data-testid="user-picker" value={users.find((u) => u.sub === pick)?.name ?? ""} selectedOptions={pick ? [pick] : []} onOptionSelect={(_, d) => setPick(d.optionValue)}>
        {users.map((u) => (
          <Option key={u.sub} value={u.sub} text={u.name}>{`${u.name} · ${u.roles.map(roleLabel).join(", ")}${u.team ? ` · ${u.team}` : ""}`}</Option>
        ))}
      </Dropdown>
    </Field>
  );
}
