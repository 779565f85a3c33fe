/**
 * A model host worker died (crashed, was retired, or its runtime aborted). Transient: the same
 * load on a new worker may well succeed.
 */
export class HostCrashedError extends Error {
  override readonly name = "HostCrashedError";
  readonly transient = true;
}

/** An error a host reported for one request; `remoteName` is the worker-side error's name. */
export class HostCallError extends Error {
  override readonly name = "HostCallError";
  constructor(
    message: string,
    readonly remoteName: string,
    /** The runtime may be unusable after this error: the host should be restarted. */
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/** True when the host itself failed (it died, or its runtime hit a fatal fault), not the request. */
export function isHostFailure(error: unknown): boolean {
  return error instanceof HostCrashedError || (error instanceof HostCallError && error.fatal);
}
