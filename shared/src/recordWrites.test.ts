import { describe, expect, it } from "vitest";
import { checkContractWrite, type Principal } from "./access.js";
import { contractAccountChange, contractReferences, handoverSelection, paymentReferences, teamNameClashes, visitReferences, withOwnerAtSigning } from "./recordWrites.js";

const who = (userId: string, roles: Principal["roles"]): Principal => ({ tenant: "t1", userId, name: userId, roles });

describe("contractAccountChange: a contract never changes account", () => {
  it("a new contract, an unchanged or unnamed account pass; another account is refused at accountId", () => {
    expect(contractAccountChange(undefined, { accountId: "A-2" })).toBeUndefined();
    expect(contractAccountChange({ accountId: "A-1" }, { accountId: "A-1" })).toBeUndefined();
    expect(contractAccountChange({ accountId: "A-1" }, {})).toBeUndefined();
    expect(contractAccountChange({ accountId: "A-1" }, { accountId: "A-2" })).toEqual({ path: "accountId", message: "a contract's account cannot change; create a new contract" });
    expect(contractAccountChange({ accountId: "A-1" }, { accountId: "A-2" }, "zh")?.message).toBe("合同所属客户不能更改；请新建一份合同");
  });
});

describe("withOwnerAtSigning: the account's owner on the signed date", () => {
  const c: { accountId: string; signedDate: string; amountYuan: number; ownerAtSigning?: string } = { accountId: "A-1", signedDate: "2026-03-10", amountYuan: 100 };
  const changes = [
    { accountId: "A-1", from: "u1", to: "u2", at: "2026-04-01T02:00:00Z" },
    { accountId: "A-1", from: "u2", to: "u3", at: "2026-06-01T02:00:00Z" },
    { accountId: "A-9", from: "u7", to: "u3", at: "2026-05-01T02:00:00Z" },
  ];
  it("signed before both handovers: the first handover's giver", () => {
    expect(withOwnerAtSigning(c, "u3", changes)).toEqual({ ...c, ownerAtSigning: "u1" });
  });
  it("signed between them: the second handover's giver; another account's handover is ignored", () => {
    expect(withOwnerAtSigning({ ...c, signedDate: "2026-05-15" }, "u3", changes).ownerAtSigning).toBe("u2");
  });
  it("signed on a handover day: the receiver; after all: the current owner", () => {
    expect(withOwnerAtSigning({ ...c, signedDate: "2026-06-01" }, "u3", changes).ownerAtSigning).toBe("u3");
    expect(withOwnerAtSigning({ ...c, signedDate: "2026-07-01" }, "u3", []).ownerAtSigning).toBe("u3");
  });
  it("an unknown account leaves the contract as written", () => {
    expect(withOwnerAtSigning({ ...c, ownerAtSigning: "x" }, undefined, changes)).toEqual({ ...c, ownerAtSigning: "x" });
  });
});

describe("references of contracts, payments and visits", () => {
  it("a contract names a live account", () => {
    expect(contractReferences({ accountId: "A-1" }, true)).toEqual([]);
    expect(contractReferences({ accountId: "A-404" }, false, "zh")).toEqual([{ path: "accountId", message: "没有客户 A-404" }]);
  });
  it("a payment names a live contract and one of its instalments", () => {
    const contract = { instalments: [{ id: "i1" }, { id: "i2" }] };
    expect(paymentReferences({ contractId: "C-1" }, contract)).toBeUndefined();
    expect(paymentReferences({ contractId: "C-1", instalmentId: "i2" }, contract)).toBeUndefined();
    expect(paymentReferences({ contractId: "C-1", instalmentId: "i3" }, contract)).toEqual({ path: "instalmentId", message: "contract C-1 has no instalment i3" });
    expect(paymentReferences({ contractId: "C-9", instalmentId: "i1" }, undefined, "zh")).toEqual({ path: "contractId", message: "没有合同 C-9" });
  });
  it("a visit names a live account and, when its owner changes, a directory user", () => {
    expect(visitReferences({ accountId: "A-1", owner: "u1" }, undefined, { account: true, owner: true })).toEqual([]);
    expect(visitReferences({ accountId: "A-1", owner: "gone" }, "gone", { account: true, owner: false })).toEqual([]);
    expect(visitReferences({ accountId: "A-404", owner: "nobody" }, "u1", { account: false, owner: false })).toEqual([
      { path: "accountId", message: "unknown account A-404" },
      { path: "owner", message: "unknown user nobody" },
    ]);
    expect(visitReferences({ accountId: "A-1", owner: "nobody" }, undefined, { account: true, owner: false }, "zh")).toEqual([{ path: "owner", message: "用户目录中没有 nobody" }]);
  });
});

describe("checkContractWrite", () => {
  const finance = who("f1", ["finance"]);
  const manager = who("u1", ["manager"]);
  const director = who("d1", ["director"]);
  const mine = { owner: "u1" };
  const theirs = { owner: "u2" };
  const paths = (d: ReturnType<typeof checkContractWrite>) => (d.allowed ? [] : d.details.map((x) => x.path));
  it("finance writes any contract", () => {
    expect(checkContractWrite(finance, { account: theirs }, { account: theirs }).allowed).toBe(true);
  });
  it("a manager writes contracts of accounts they own, new or stored", () => {
    expect(checkContractWrite(manager, undefined, { account: mine }).allowed).toBe(true);
    expect(checkContractWrite(manager, { account: mine }, { account: mine }).allowed).toBe(true);
    expect(paths(checkContractWrite(manager, undefined, { account: theirs }))).toEqual(["accountId"]);
    expect(paths(checkContractWrite(manager, { account: theirs }, { account: theirs }))).toEqual(["id", "accountId"]);
  });
  it("an unknown target account is left to the reference check; a stored contract of an unknown account is refused", () => {
    expect(checkContractWrite(manager, undefined, { account: undefined }).allowed).toBe(true);
    expect(paths(checkContractWrite(manager, { account: undefined }, { account: undefined }))).toEqual(["id"]);
  });
  it("a director (not finance, not the owner) writes no contract", () => {
    expect(checkContractWrite(director, undefined, { account: undefined }).allowed).toBe(true);
    expect(checkContractWrite(director, undefined, { account: mine }, "zh")).toEqual({ allowed: false, details: [{ path: "accountId", message: "客户经理只能编辑自己负责的客户的合同" }] });
  });
});

describe("handoverSelection: the accounts a handover moves", () => {
  const owned = [{ id: "A-1" }, { id: "A-2", deleted: true }, { id: "A-3" }];
  it("all the giver's accounts, or the ones named", () => {
    expect(handoverSelection(owned, undefined, "李明")).toEqual({ ok: true, value: owned });
    expect(handoverSelection(owned, ["A-3", "A-2"], "李明")).toEqual({ ok: true, value: [{ id: "A-2", deleted: true }, { id: "A-3" }] });
  });
  it("a named account that is not the giver's is a problem at its index", () => {
    expect(handoverSelection(owned, ["A-1", "B-9", "B-8"], "李明", "zh")).toEqual({
      ok: false,
      details: [
        { path: "accountIds[1]", message: "客户 B-9 不属于 李明" },
        { path: "accountIds[2]", message: "客户 B-8 不属于 李明" },
      ],
    });
  });
  it("nothing live to move is refused", () => {
    expect(handoverSelection(owned, ["A-2"], "Li Ming")).toEqual({ ok: false, details: [{ path: "accounts", message: "Li Ming owns no accounts to hand over" }] });
    expect(handoverSelection([], undefined, "Li Ming").ok).toBe(false);
  });
});

describe("teamNameClashes: a team's name is unique in the tenant", () => {
  const stored = [{ id: "east", name: "华东" }, { id: "south", name: "华南" }];
  it("a stored team's name (after NFKC and trimming) clashes; its own name does not", () => {
    expect(teamNameClashes(stored, [{ id: "east", name: "华东" }, { id: "x", name: " 华南 " }, { id: "y", name: "ＡＢ" }])).toEqual([
      undefined,
      { path: "name", message: 'the name "华南" is already used by team south' },
      undefined,
    ]);
  });
  it("an earlier accepted item of the batch holds its name; a refused one does not", () => {
    expect(teamNameClashes(stored, [{ id: "n1", name: "AB" }, { id: "n2", name: "ＡＢ" }, { id: "n3", name: "华东" }, { id: "n4", name: "华北" }], "zh")).toEqual([
      undefined,
      { path: "name", message: "团队“n1”已使用名称“AB”" },
      { path: "name", message: "团队“east”已使用名称“华东”" },
      undefined,
    ]);
  });
  it("renaming frees nothing within the batch: the stored name still counts", () => {
    expect(teamNameClashes(stored, [{ id: "east", name: "华中" }, { id: "n1", name: "华东" }])[1]).toMatchObject({ path: "name" });
  });
});
