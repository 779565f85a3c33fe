import type { WatchMode } from "../config/config.ts";

/** How the watcher learns of changes right now. */
export type ActiveWatchMode = "off" | "events" | "poll" | "events+poll";

/** The watcher's state as `GET /api/v1/watch` shows it. */
export interface WatchStatus {
  /** `WATCH_MODELS`. */
  enabled: boolean;
  /** `WATCH_MODE` as configured: auto, events or poll. */
  configured_mode: WatchMode;
  /** What runs: file-system events, polling, or both; `poll` also when events could not be had. */
  mode: ActiveWatchMode;
  /** False when events cover the top level only (the poll then covers subfolders). */
  recursive_events: boolean;
  settle_ms: number;
  poll_ms: number;
  /** Scans of the folder since start. */
  scans: number;
  /** Unix seconds of the last finished scan. */
  last_scan_at: number | null;
  /** Settled changes acted upon since start. */
  changes_applied: number;
  /** True while a change is being applied (rescan, loads). */
  applying: boolean;
  /** Top-level entries that changed and wait to settle, with the Unix second they last changed. */
  pending: { path: string; since: number }[];
  /** Links refused because they lead out of the models folder (paths relative to it). */
  refused: string[];
  /** Why events are not used, or the last scan or apply that failed; watching goes on. */
  last_error?: string;
}
