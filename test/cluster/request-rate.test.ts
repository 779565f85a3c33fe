import { describe, expect, test } from "bun:test";
import { RequestRate, RATE_WINDOW_MS } from "../../src/cluster/request-rate.ts";
import { silentCacheObserver } from "../../src/cache/cache-observer.ts";

describe("RequestRate", () => {
  test("requests in the window, as a rate a minute; the window slides", () => {
    let now = 1_000_000;
    const rate = new RequestRate(() => now);
    for (let i = 0; i < 20; i++) rate.hit("iris");
    now += 3000;
    for (let i = 0; i < 10; i++) rate.hit("iris");
    rate.hit("other");
    expect(rate.perMinute("iris")).toBe((30 * 60_000) / RATE_WINDOW_MS);
    expect(rate.total()).toBe((31 * 60_000) / RATE_WINDOW_MS);
    now += RATE_WINDOW_MS - 1000;
    expect(rate.perMinute("iris")).toBe((10 * 60_000) / RATE_WINDOW_MS);
    now += 5000;
    expect(rate.perMinute("iris")).toBe(0);
    expect(rate.perMinute("never")).toBe(0);
  });

  test("counts the cache's lookups and passes every event on", () => {
    const rate = new RequestRate();
    const seen: string[] = [];
    const observer = rate.observing({ ...silentCacheObserver, lookup: (model) => void seen.push(model), loadFinished: (model) => void seen.push(`load ${model}`) });
    observer.lookup("iris", "1", true, 0);
    observer.loadFinished("iris", "1", true, 0.1);
    expect(seen).toEqual(["iris", "load iris"]);
    expect(rate.perMinute("iris")).toBeGreaterThan(0);
  });
});
