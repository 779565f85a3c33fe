import type { ModelStatus } from "../cache/model-types.ts";

/** One model as a replica reports it in its heartbeat. */
export interface ReplicaModel {
  /** The cache record's id: the model's name, or `name@version` for one version of a versioned model. */
  name: string;
  /** The model's name, as clients ask for it. */
  model: string;
  version: string;
  status: ModelStatus;
  /** Memory the loaded instance holds (null when none is loaded here). */
  memory_bytes: number | null;
  /** Bytes on disk: the estimate of what a copy will hold before one was ever loaded. */
  size_bytes: number | null;
  /** Requests a minute this replica served it, over the last few seconds. */
  requests_per_minute: number;
  /** Manifest `copies`; null: every replica. */
  copies: number | null;
  /** Whether it should be held somewhere without being asked for (it preloads, or is required). */
  wanted: boolean;
  /** Readiness waits for it: every replica holds it, whatever `copies` says. */
  required: boolean;
}

/**
 * What one replica writes to Redis at every heartbeat (as JSON, under a key that expires): who it
 * is, where it is reached, and the state of every model it can serve. The cluster view, the
 * placement and the forwarding are all derived from the records alive now, never from a record
 * that outlived its replica.
 */
export interface ReplicaRecord {
  id: string;
  /** Base URL other replicas reach it at. */
  address: string;
  /** Random per process: tells a restarted replica from the one before it, and two processes that share an id. */
  instance: string;
  /** Unix seconds. */
  started_at: number;
  /** Unix seconds of this heartbeat (the replica's clock; expiry is Redis's). */
  heartbeat_at: number;
  memory: { budget_bytes: number | null; used_bytes: number };
  load: { in_flight: number; requests_per_minute: number };
  models: ReplicaModel[];
}

/** Statuses in which a replica holds a model, or soon will (a load under way). */
export const HOLDING: readonly ModelStatus[] = ["loaded", "loading"];

/** Parses a record read from Redis; `undefined` when it is not one (a foreign or damaged key). */
export function parseReplicaRecord(text: string | null): ReplicaRecord | undefined {
  if (text === null) return undefined;
  try {
    const record = JSON.parse(text) as ReplicaRecord;
    if (typeof record?.id !== "string" || typeof record.address !== "string" || !Array.isArray(record.models)) return undefined;
    return record;
  } catch {
    return undefined;
  }
}
