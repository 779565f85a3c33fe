import type { VersionTarget } from "../versions/version-target.ts";

/** One version of one model, as a request reaches it. */
export type Target = VersionTarget;

/** Where one request goes: the version that answers, and where a shadow copy goes, if anywhere. */
export interface Route {
  target: Target;
  shadow?: Target;
}

/** One finished request or shadow copy, for metrics. */
export interface TrafficEvent {
  target: Target;
  kind: "request" | "shadow";
  outcome: "ok" | "error" | "bad_request" | "dropped";
  /** Duration in milliseconds (0 for a dropped copy). */
  ms: number;
}
