import { describe, expect, test } from "bun:test";
import { SettleTracker } from "../../src/watch/settle-tracker.ts";

const entries = (record: Record<string, string>) => new Map(Object.entries(record));
const kinds = (settled: Map<string, { kind: string }>) => Object.fromEntries([...settled].map(([path, change]) => [path, change.kind]));

describe("SettleTracker", () => {
  test("nothing changed: nothing settles, nothing waits", () => {
    const tracker = new SettleTracker(1000, entries({ "a.onnx": "1" }));
    expect(tracker.observe(entries({ "a.onnx": "1" }), 0).size).toBe(0);
    expect(tracker.observe(entries({ "a.onnx": "1" }), 5000).size).toBe(0);
    expect(tracker.pending()).toEqual([]);
    expect(tracker.nextCheckAt()).toBeUndefined();
  });

  test("a file being written settles only once it stayed the same for settleMs", () => {
    const tracker = new SettleTracker(1000, entries({}));
    // Written in chunks 300 ms apart: each scan sees a new size, so the wait starts over.
    for (let chunk = 1; chunk <= 10; chunk++) {
      expect(tracker.observe(entries({ "big.onnx": `size ${chunk}` }), chunk * 300).size).toBe(0);
      expect(tracker.isSettling("big.onnx")).toBe(true);
    }
    expect(tracker.pending()).toEqual([{ path: "big.onnx", kind: "added", fingerprint: "size 10", since: 3000 }]);
    expect(tracker.nextCheckAt()).toBe(4000);
    expect(tracker.observe(entries({ "big.onnx": "size 10" }), 3999).size).toBe(0);
    expect(kinds(tracker.observe(entries({ "big.onnx": "size 10" }), 4000))).toEqual({ "big.onnx": "added" });
    // Acted upon once: later scans of the same file change nothing.
    expect(tracker.observe(entries({ "big.onnx": "size 10" }), 9000).size).toBe(0);
    expect(tracker.isSettling("big.onnx")).toBe(false);
  });

  test("a change back to what was acted upon is no change", () => {
    const tracker = new SettleTracker(1000, entries({ "a.onnx": "1" }));
    tracker.observe(entries({ "a.onnx": "2" }), 0);
    expect(tracker.observe(entries({ "a.onnx": "1" }), 100).size).toBe(0);
    expect(tracker.pending()).toEqual([]);
  });

  test("removed, then written again before settling: one change, not an unload and a load", () => {
    const tracker = new SettleTracker(1000, entries({ "a.onnx": "1" }));
    tracker.observe(entries({}), 0);
    expect(tracker.pending()[0]).toMatchObject({ kind: "removed" });
    tracker.observe(entries({ "a.onnx": "2" }), 500);
    expect(tracker.observe(entries({ "a.onnx": "2" }), 1000).size).toBe(0);
    expect(kinds(tracker.observe(entries({ "a.onnx": "2" }), 1500)))
      .toEqual({ "a.onnx": "changed" });
  });

  test("a removal settles like a change", () => {
    const tracker = new SettleTracker(1000, entries({ "a.onnx": "1", "b.onnx": "1" }));
    tracker.observe(entries({ "b.onnx": "1" }), 0);
    expect(kinds(tracker.observe(entries({ "b.onnx": "1" }), 1000))).toEqual({ "a.onnx": "removed" });
    expect(tracker.observe(entries({ "b.onnx": "1" }), 3000).size).toBe(0);
  });

  test("settleMs 0 still needs two scans that agree", () => {
    const tracker = new SettleTracker(0, entries({}));
    expect(tracker.observe(entries({ "a.onnx": "1" }), 0).size).toBe(0);
    expect(tracker.nextCheckAt()).toBe(0);
    expect(kinds(tracker.observe(entries({ "a.onnx": "1" }), 0))).toEqual({ "a.onnx": "added" });
  });

  test("forget: an entry whose apply failed is seen as changed again, even a removal", () => {
    const tracker = new SettleTracker(1000, entries({ "a.onnx": "1", "b.onnx": "1" }));
    tracker.forget(["a.onnx", "b.onnx"]);
    tracker.observe(entries({ "a.onnx": "1" }), 0);
    expect(kinds(tracker.observe(entries({ "a.onnx": "1" }), 1000))).toEqual({ "a.onnx": "changed", "b.onnx": "removed" });
  });

  test("pending is oldest first", () => {
    const tracker = new SettleTracker(1000, entries({}));
    tracker.observe(entries({ "b.onnx": "1" }), 0);
    tracker.observe(entries({ "b.onnx": "1", "a.onnx": "1" }), 200);
    expect(tracker.pending().map((change) => change.path)).toEqual(["b.onnx", "a.onnx"]);
    expect(tracker.nextCheckAt()).toBe(1000);
  });
});
