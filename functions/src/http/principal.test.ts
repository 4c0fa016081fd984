import { describe, expect, it } from "vitest";
import { ApiError } from "./errors.js";
import { authenticate, principalFromClaims } from "./principal.js";

describe("auth step", () => {
  it("tenant from tid, user from oid before sub, roles from the roles claim (array or API Gateway's string)", () => {
    expect(authenticate({ tid: "t1", oid: "o1", sub: "s1", name: "李明", roles: ["Manager"] })).toEqual({ tenant: "t1", userId: "o1", name: "李明", roles: ["manager"] });
    expect(authenticate({ tid: "t1", sub: "s1", roles: "[Director Finance]" })).toEqual({ tenant: "t1", userId: "s1", name: "s1", roles: ["director", "finance"] });
  });

  it("no claims, no tenant, no user, or ids that could break a store key: 401", () => {
    for (const claims of [undefined, { sub: "s1" }, { tid: "t1" }, { tid: "t#1\u0000", sub: "s1" }, { tid: "t1", sub: "x".repeat(500) }]) {
      expect(principalFromClaims(claims)).toBeUndefined();
      let thrown: unknown;
      try {
        authenticate(claims);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).status).toBe(401);
      expect((thrown as ApiError).body("zh").error.message).toBe("请先登录");
    }
  });
});
