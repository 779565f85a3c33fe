/**
 * A short run of `bun run soak` (scripts/soak.ts): 60 full reloads of every demo model. Sixty
 * rounds cannot show a slow leak (the 1,000-round script does, with a 10 % / 30 MB bound); they
 * do catch anything that grows by megabytes per reload, as the wink-nlp model did (a string in
 * it grew exponentially with each reload of the lexicon: out of memory after about 20). RSS
 * after a GC still moves by ±30 MiB between samples on a quiet machine (freed pages are not
 * always returned), so the bound on RSS is loose; the JS heaps (main and hosts, after a GC) and
 * the hosts' WebAssembly memory are held tighter.
 */
import { describe, expect, test } from "bun:test";
import { formatCurve, runSoak } from "../../scripts/soak.ts";
import { LexiconSentimentAnalyzer } from "../../src/sentiment/lexicon-analyzer.ts";
import { runtime } from "#runtime";

const MiB = 1024 * 1024;

describe("soak", () => {
  test("60 reloads of every demo model: instances stay put, heaps and RSS level off", async () => {
    const result = await runSoak({ rounds: 60, every: 20 });
    console.log(formatCurve(result));
    const [first, ...rest] = result.samples;
    expect(rest.length).toBe(2);
    for (const sample of result.samples) expect(sample.hostInstances).toBe(6);
    for (const sample of rest) {
      expect(sample.rss - first!.rss).toBeLessThan(96 * MiB);
      expect(sample.heapUsed + sample.hostHeapUsed - (first!.heapUsed + first!.hostHeapUsed)).toBeLessThan(32 * MiB);
      // WebAssembly memory never shrinks: sessions that were not released would grow it.
      expect(sample.wasmMemory - first!.wasmMemory).toBeLessThanOrEqual(8 * MiB);
    }
  }, 180_000);

  test("the lexicon analyser can be made again and again without its model growing", () => {
    // wink-eng-lite-web-model re-stringifies a module-level model on every wink-nlp instance.
    const heap = () => (runtime.gc(), process.memoryUsage().heapUsed);
    LexiconSentimentAnalyzer.create().dispose();
    const before = heap();
    for (let i = 0; i < 30; i++) {
      const analyzer = LexiconSentimentAnalyzer.create();
      expect(analyzer.analyze("Not good at all.").label).toBe("NEGATIVE");
      analyzer.dispose();
    }
    expect(heap() - before).toBeLessThan(16 * MiB);
  }, 60_000);
});
