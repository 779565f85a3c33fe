import { describe, expect, test } from "bun:test";
import { gatherModel, gatherRequest } from "../../scripts/bench-budget/sized-models.ts";
import { serveModels } from "../helpers/serve-models.ts";
import { getJson, postJson } from "../helpers/test-service.ts";

const MIB = 2 ** 20;
const SIZES = { small: 10, medium: 12, large: 14, giant: 40 };
const VALUES = { small: 1, medium: 2, large: 3, giant: 4 };

// Room for the lexicon (required: never evicted, about 10 MiB) and any two of small, medium and
// large, never all three; giant never fits.
const served = serveModels(
  {
    ...Object.fromEntries(Object.entries(SIZES).map(([name, mib]) => [`${name}.onnx`, gatherModel(mib, VALUES[name as keyof typeof VALUES])])),
    "models.yaml": "models:\n  lexicon:\n    required: true\n",
  },
  { MODEL_MEMORY_BUDGET_MB: "42" },
);

type Entry = { name: string; status: string; memory_bytes: number | null; memory_method?: string; size_bytes: number; misses: number; load_count: number; eviction_count: number; error?: string };

async function registry(): Promise<{ memory: { budget_bytes: number; used_bytes: number }; evicted_models: number; models: Entry[] }> {
  return (await getJson(`${served.svc.url}/api/v1/models/registry`)).body;
}

async function entry(name: string): Promise<Entry> {
  return (await registry()).models.find((model) => model.name === name)!;
}

async function ask(name: keyof typeof VALUES): Promise<{ status: number; value: number | undefined }> {
  const { status, body } = await postJson(`${served.svc.url}/v2/models/${name}/infer`, gatherRequest(5));
  return { status, value: body?.outputs?.[0]?.data?.[0] };
}

describe("a memory budget over real ONNX models (MODEL_MEMORY_BUDGET_MB=42)", () => {
  test("each model's memory is its weights as measured at load; preloads (by name) stop where the budget is full", async () => {
    const { memory, models } = await registry();
    const byName = Object.fromEntries(models.map((model) => [model.name, model]));
    expect(byName.lexicon).toMatchObject({ status: "loaded", memory_method: "heap-delta" });
    expect(byName.lexicon!.memory_bytes).toBeGreaterThan(MIB);
    expect(byName.large).toMatchObject({ status: "loaded", memory_method: "weights", memory_bytes: byName.large!.size_bytes });
    expect(byName.medium).toMatchObject({ status: "loaded", memory_bytes: byName.medium!.size_bytes });
    expect(byName.small!.status).toBe("skipped");
    expect(memory.budget_bytes).toBe(42 * MIB);
    expect(memory.used_bytes).toBe(byName.lexicon!.memory_bytes! + byName.large!.size_bytes + byName.medium!.size_bytes);
  });

  test("a model that can never fit beside the required lexicon is failed, saying so", async () => {
    const giant = await entry("giant");
    expect(giant.status).toBe("failed");
    expect(giant.error).toMatch(/^cannot fit in the memory budget: it needs 40\.0 MiB \(estimated from its files\), and of the budget's 42\.0 MiB \(MODEL_MEMORY_BUDGET_MB\) the required models hold [\d.]+ MiB \(lexicon\)/);
    const { status, body } = await postJson(`${served.svc.url}/v2/models/giant/infer`, gatherRequest(0));
    expect(status).toBe(503);
    expect(body.error).toContain("cannot fit in the memory budget");
  });

  test("a request for a model left out evicts the least recently used idle one, and is answered", async () => {
    expect(await ask("large")).toEqual({ status: 200, value: 3 });
    expect(await ask("medium")).toEqual({ status: 200, value: 2 });
    const before = await entry("small");
    expect(await ask("small")).toEqual({ status: 200, value: 1 });
    const after = await registry();
    const status = Object.fromEntries(after.models.map((model) => [model.name, model.status]));
    expect(status).toMatchObject({ lexicon: "loaded", large: "evicted", medium: "loaded", small: "loaded" });
    expect((await entry("small")).misses).toBe(before.misses + 1);
    expect(after.evicted_models).toBe(1);
    expect(after.memory.used_bytes).toBeLessThanOrEqual(42 * MIB);
  });

  test("an evicted model is not ready, and loads again on its next request, counted as a miss", async () => {
    expect((await getJson(`${served.svc.url}/v2/models/large/ready`)).status).toBe(503);
    const index = await postJson(`${served.svc.url}/v2/repository/index`, {}, served.svc.admin);
    expect(index.body).toContainEqual({ name: "large", version: "1.0.0", state: "UNLOADED", reason: "evicted" });
    const before = await entry("large");
    expect(await ask("large")).toEqual({ status: 200, value: 3 });
    const after = await entry("large");
    expect(after).toMatchObject({ status: "loaded", load_count: before.load_count + 1, misses: before.misses + 1, eviction_count: 1 });
    expect((await entry("medium")).status).toBe("evicted");
  });
});
