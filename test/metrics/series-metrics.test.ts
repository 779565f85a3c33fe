/**
 * The per-request metrics (src/metrics/series-metrics.ts) write exactly what prom-client's own
 * Counter, Gauge and Histogram write for the same observations: same lines, same labels in the
 * same order, same values, bucket bounds inclusive.
 */
import { describe, expect, test } from "bun:test";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { SeriesCounter, SeriesGauge, SeriesHistogram } from "../../src/metrics/series-metrics.ts";

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED = [0.0005, 0.001, 0.002, 0.01, 0.5, 1, 3, 0];

describe("series metrics", () => {
  test("histogram, counter and gauge expose what prom-client's own expose", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const histogram = new SeriesHistogram(ours, { name: "t_seconds", help: "h", labelNames: ["model", "stage"], buckets: BUCKETS });
    const reference = new Histogram({ name: "t_seconds", help: "h", labelNames: ["model", "stage"], buckets: BUCKETS, registers: [theirs] });
    const counter = new SeriesCounter(ours, { name: "t_total", help: "c", labelNames: ["model", "outcome"] });
    const referenceCounter = new Counter({ name: "t_total", help: "c", labelNames: ["model", "outcome"], registers: [theirs] });
    const gauge = new SeriesGauge(ours, { name: "t_in_flight", help: "g", labelNames: ["model"] });
    const referenceGauge = new Gauge({ name: "t_in_flight", help: "g", labelNames: ["model"], registers: [theirs] });

    const infer = histogram.series({ model: "iris", stage: "infer" });
    for (const value of OBSERVED) {
      infer.observe(value);
      reference.observe({ model: "iris", stage: "infer" }, value);
    }
    // A series handed out and never observed is exposed at zero, as prom-client's zero() makes it.
    histogram.series({ model: "iris", stage: "output" });
    reference.zero({ model: "iris", stage: "output" });
    counter.series({ model: "iris", outcome: "success" }).value += 3;
    referenceCounter.inc({ model: "iris", outcome: "success" }, 3);
    counter.series({ model: "iris", outcome: "failure" });
    referenceCounter.inc({ model: "iris", outcome: "failure" }, 0);
    const inFlight = gauge.series({ model: "iris" });
    inFlight.value += 2;
    inFlight.value--;
    referenceGauge.inc({ model: "iris" }, 1);

    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('t_seconds_bucket{le="0.001",model="iris",stage="infer"} 3');
  });

  test("the same labels give the same series, whatever order they are written in", () => {
    const counter = new SeriesCounter(new Registry(), { name: "u_total", help: "c", labelNames: ["model", "version"] });
    counter.series({ model: "a", version: "1" }).value++;
    counter.series({ version: "1", model: "a" }).value++;
    expect(counter.series({ model: "a", version: "1" }).value).toBe(2);
    expect(counter.series({ model: "a", version: "2" }).value).toBe(0);
  });
});
