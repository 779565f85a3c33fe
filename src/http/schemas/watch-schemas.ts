import { t } from "elysia";
import { Integer } from "./common-schemas.ts";

/** GET /api/v1/watch */
export const WatchStatusSchema = t.Object({
  enabled: t.Boolean({ description: "WATCH_MODELS" }),
  configured_mode: t.UnionEnum(["auto", "events", "poll"], { description: "WATCH_MODE" }),
  mode: t.UnionEnum(["off", "events", "poll", "events+poll"], {
    description: "What runs now: file-system events, polling, or both (poll also when events could not be had)",
  }),
  recursive_events: t.Boolean({ description: "False when events cover the top level only" }),
  settle_ms: Integer({ description: "WATCH_SETTLE_MS" }),
  poll_ms: Integer({ description: "WATCH_POLL_MS" }),
  scans: Integer({ description: "Scans of the models folder since start" }),
  last_scan_at: t.Union([t.Number({ description: "Unix seconds" }), t.Null()]),
  changes_applied: Integer({ description: "Settled changes acted upon since start" }),
  applying: t.Boolean({ description: "A change is being applied (rescan, loads)" }),
  pending: t.Array(
    t.Object({
      path: t.String({ description: "Top-level entry of the models folder" }),
      since: t.Number({ description: "Unix seconds of its last change" }),
    }),
    { description: "Changes waiting to settle: nothing of theirs is loaded yet" },
  ),
  refused: t.Array(t.String(), { description: "Links refused because they lead out of the models folder" }),
  last_error: t.Optional(t.String({ description: "Why events are not used, or the last scan or rescan that failed" })),
});
