/**
 * The budget: 365 daily points well under a millisecond per point. The benchmark
 * (scripts/bench-prophet.ts) gives the real figures; this only guards against a large regression.
 */
import { expect, test } from "bun:test";
import { loadShared } from "./helpers.ts";

test("365 daily points with 1000-sample bounds take under 1 ms per point (median of 5)", async () => {
  const forecaster = await loadShared("serialized_model_v1.0.1.json");
  const rows = forecaster.makeFutureDates(365, "D", false).map((ds) => ({ ds }));
  forecaster.predict(rows); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    forecaster.predict(rows, { seed: i });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  expect(times[2]! / 365).toBeLessThan(1);
});
