import { describe, expect, it } from "vitest";
import { startApiProcess } from "../../functions/local/process.js";

/** `npm run api` as a child process (what the sync benchmark runs against): starts, answers, stops. */
describe("local API process", () => {
  it("listens on a free loopback port, serves the dev issuer, and is gone after stop", async () => {
    const api = await startApiProcess({ inMemory: true, seed: true });
    try {
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const users = await fetch(`${api.url}/dev/users`);
      expect(users.status).toBe(200);
      expect(((await users.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      // Every API route still wants a token.
      expect((await fetch(`${api.url}/v1/accounts`)).status).toBe(401);
    } finally {
      await api.stop();
    }
    await expect(fetch(`${api.url}/dev/users`)).rejects.toThrow();
  }, 60_000);
});
