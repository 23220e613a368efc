import { describe, expect, it } from "vitest";
import { LruCache } from "~/utils/lru";

describe("the least-recently-used cache behind verification views", () => {
  it("evicts the least recently used entry when full, never everything", () => {
    const cache = new LruCache<string, number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1); // a is now the most recently used
    cache.set("d", 4); // b goes
    expect(cache.size).toBe(3);
    expect(cache.has("b")).toBe(false);
    expect([cache.get("a"), cache.get("c"), cache.get("d")]).toEqual([1, 3, 4]);
  });

  it("replacing a key refreshes it; deleting forgets it", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("a", 10);
    cache.set("c", 3); // b is the least recently used
    expect(cache.has("b")).toBe(false);
    expect(cache.get("a")).toBe(10);
    expect(cache.delete("a")).toBe(true);
    expect(cache.get("a")).toBeUndefined();
  });

  it("holds its capacity under many distinct keys", () => {
    const cache = new LruCache<number, number>(1000);
    for (let i = 0; i < 50_000; i += 1) cache.set(i, i);
    expect(cache.size).toBe(1000);
    expect(cache.has(49_000) && cache.has(49_999)).toBe(true);
    expect(cache.has(48_999)).toBe(false);
  });

  it("refuses a capacity below one", () => {
    expect(() => new LruCache(0)).toThrow();
  });
});
