/**
 * Mutations of a valid request body: drop, add and retype fields, wrong datatypes and shapes,
 * NaN spelt as strings, huge numbers, extra nesting, awkward unicode, very long strings and
 * arrays. Each mutation says what it did, so a failing request can be described.
 */
import { domainString, NON_FINITE_STRINGS, randomJson, randomKey, setOwn, weirdNumber, weirdString, type Json } from "./json-values.ts";
import type { Rng } from "./rng.ts";

/** A mutated body and what was done to it. */
export interface Mutated {
  value: Json;
  notes: string[];
}

type Path = (string | number)[];

const MUTATIONS = {
  drop: 3,
  add: 2,
  retype: 3,
  nonFinite: 2,
  hugeNumber: 2,
  negative: 2,
  nest: 2,
  unwrap: 1,
  domain: 3,
  awkwardString: 2,
  grow: 1,
  empty: 1,
} as const;

/**
 * Applies 1 to `maxMutations` random mutations to a copy of `body`.
 *
 * @example
 * mutate(rng, { periods: 7 }); // { value: { periods: "NaN" }, notes: ["nonFinite periods"] }
 */
export function mutate(rng: Rng, body: Json, maxMutations = 3): Mutated {
  let value = structuredClone(body);
  const notes: string[] = [];
  for (let n = rng.int(1, maxMutations); n > 0; n--) {
    const before = value;
    value = structuredClone(value);
    const paths = pathsOf(value);
    const path = rng.pick(paths);
    const kind = rng.weighted(MUTATIONS);
    const current = get(value, path);
    // A JSON round trip unshares repeated elements, so a later mutation changes one, not all.
    const applied = apply(rng, kind, current, path);
    const replaced = applied !== DROP && applied !== null && typeof applied === "object" ? (JSON.parse(JSON.stringify(applied)) as Json) : applied;
    if (replaced === DROP) {
      if (path.length === 0) value = null;
      else remove(value, path);
    } else if (path.length === 0) value = replaced;
    else set(value, path, replaced);
    if ((JSON.stringify(value)?.length ?? 0) > MAX_BODY_CHARS) {
      value = before;
      continue;
    }
    notes.push(`${kind} ${formatPath(path)}`);
  }
  return { value, notes };
}

const DROP = Symbol("drop");

/** Mutations that would make a body longer than this are dropped (the fuzzer has memory too). */
const MAX_BODY_CHARS = 16 * 1024 * 1024;

function apply(rng: Rng, kind: keyof typeof MUTATIONS, current: Json, path: Path): Json | typeof DROP {
  switch (kind) {
    case "drop":
      return DROP;
    case "add":
      if (current !== null && typeof current === "object" && !Array.isArray(current)) {
        const added = { ...current };
        setOwn(added, randomKey(rng), randomJson(rng, 2));
        return added;
      }
      if (Array.isArray(current)) return [...current, randomJson(rng, 2)];
      return randomJson(rng, 2);
    case "retype":
      return retype(rng, current);
    case "nonFinite":
      return rng.pick(NON_FINITE_STRINGS);
    case "hugeNumber":
      return weirdNumber(rng);
    case "negative":
      return typeof current === "number" ? rng.pick([-current, -1, 0, -(2 ** 31), -1e308]) : rng.pick([-1, 0, -7]);
    case "nest":
      return rng.chance(0.5) ? [current] : [[current], [current]];
    case "unwrap":
      return Array.isArray(current) ? (current[0] ?? null) : current;
    case "domain":
      return domainString(rng);
    case "awkwardString":
      return weirdString(rng, 50_000);
    case "grow":
      return grow(rng, current);
    case "empty":
      return rng.pick<Json>([[], {}, "", null, 0]);
  }
  void path;
}

/** The same information as another JSON type: 5 → "5", "a" → ["a"], [1] → { "0": 1 }, … */
function retype(rng: Rng, current: Json): Json {
  if (typeof current === "number") return rng.pick<Json>([String(current), [current], current !== 0, null]);
  if (typeof current === "string") return rng.pick<Json>([[current], Number(current), { value: current }, current.length]);
  if (typeof current === "boolean") return rng.pick<Json>([String(current), current ? 1 : 0]);
  if (Array.isArray(current)) return rng.pick<Json>([Object.fromEntries(current.map((v, i) => [String(i), v])), JSON.stringify(current), current.length]);
  if (current === null) return rng.pick<Json>(["null", 0, false, []]);
  return rng.pick<Json>([Object.values(current), JSON.stringify(current), true]);
}

/** A long array or string from a short one: past the batch, text and shape limits. */
function grow(rng: Rng, current: Json): Json {
  const unit = (JSON.stringify(current)?.length ?? 4) + 1;
  const times = Math.max(2, Math.min(rng.pick([257, 1000, 10_001, 100_000]), Math.floor(MAX_BODY_CHARS / 2 / unit)));
  if (Array.isArray(current)) return Array.from({ length: times }, (_, i) => current[i % Math.max(1, current.length)] ?? 1);
  if (typeof current === "string") {
    const unitText = current || "x";
    return unitText.repeat(Math.max(2, Math.floor(Math.min(unitText.length * times, MAX_BODY_CHARS / 2) / unitText.length)));
  }
  if (typeof current === "number") return current * times;
  return Array.from({ length: times }, () => current);
}

/** Every path into `value`, the root included. */
function pathsOf(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (out.length > 2000) return out;
  if (Array.isArray(value)) {
    // Long arrays: a few elements are enough.
    const indexes = value.length <= 8 ? value.keys() : [0, 1, value.length - 1].values();
    for (const i of indexes) pathsOf(value[i]!, [...path, i], out);
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) pathsOf(value[key]!, [...path, key], out);
  }
  return out;
}

function get(value: Json, path: Path): Json {
  let node: any = value;
  for (const key of path) node = node[key];
  return node as Json;
}

function set(value: Json, path: Path, replacement: Json): void {
  const parent: any = get(value, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent[key as number] = replacement;
  else setOwn(parent, key as string, replacement);
}

function remove(value: Json, path: Path): void {
  const parent: any = get(value, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
}

function formatPath(path: Path): string {
  if (path.length === 0) return "(body)";
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? key : `.${key}`)).join("");
}
