/** The admin operations carried out cluster-wide. */
export const ADMIN_OPS = ["reload", "load", "unload"] as const;
export type AdminOp = (typeof ADMIN_OPS)[number];

/** One operation of the admin log. */
export interface AdminEntry {
  /** The stream entry's id (`<ms>-<seq>`): its place in the log. */
  id: string;
  op: AdminOp;
  /** The models named; `undefined`: every model (a full reload). */
  models: string[] | undefined;
  /** The replica that took the request. */
  origin: string;
  /** Unix milliseconds when it was logged. */
  at: number;
}

/** What one replica did with one model of an entry. */
export interface ModelResult {
  name: string;
  result: "reloaded" | "loaded" | "unloaded" | "not_held" | "unknown" | "failed" | "current";
  error?: string;
}

/** One replica's outcome of one entry, as it writes it back to Redis. */
export interface ReplicaOutcome {
  replica: string;
  models: ModelResult[];
  duration_ms: number;
}

/** Fields of a stream entry as Redis returns them (`[k1, v1, k2, v2, …]`) to an entry; `undefined` when it is not one. */
export function parseAdminEntry(id: string, fields: string[]): AdminEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const op = map.get("op") as AdminOp | undefined;
  if (op === undefined || !ADMIN_OPS.includes(op)) return undefined;
  let models: string[] | undefined;
  try {
    const parsed = JSON.parse(map.get("models") ?? "null") as unknown;
    models = Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === "string") : undefined;
  } catch {
    return undefined;
  }
  return { id, op, models, origin: map.get("origin") ?? "?", at: Number(map.get("at") ?? 0) };
}

/** Compares two stream ids (`<ms>-<seq>`) numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(BigInt) as [bigint, bigint | undefined];
  const [bm, bs] = b.split("-").map(BigInt) as [bigint, bigint | undefined];
  if (am !== bm) return am < bm ? -1 : 1;
  const x = as ?? 0n;
  const y = bs ?? 0n;
  return x === y ? 0 : x < y ? -1 : 1;
}
