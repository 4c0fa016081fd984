import { describe, expect, it } from "vitest";
import { mapLimit } from "./retry.js";

describe("mapLimit", () => {
  it("keeps order and at most `limit` calls in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it("after a failure starts nothing new and answers only when the calls in flight have ended", async () => {
    const started: number[] = [];
    const ended: number[] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const run = mapLimit([0, 1, 2, 3, 4], 2, async (x) => {
      started.push(x);
      if (x === 0) {
        await slow; // still writing when its sibling fails
        ended.push(x);
        return x;
      }
      throw new Error(`put ${x} failed`);
    });
    let settled = false;
    void run.catch(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false); // item 0 is still in flight
    expect(started).toEqual([0, 1]); // nothing after the failure
    release();
    await expect(run).rejects.toThrow("put 1 failed");
    expect(ended).toEqual([0]);
  });
});
