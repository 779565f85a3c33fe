import { watch, type FSWatcher } from "node:fs";

/** A running file-system watch; `recursive` says whether subfolders are covered. */
export interface EventSource {
  readonly recursive: boolean;
  close(): void;
}

/**
 * Watches `dir` with `node:fs` `watch` (inotify on Linux; the same call works on Bun, Deno and
 * Node), recursively where the platform allows it, else the top level only. Events only say
 * "look again": `onEvent` gets the path the event names, relative to `dir`, when there is one.
 * `onFailure` is called once if the watch breaks later (the folder removed, too many watches);
 * throws when it cannot start at all. Either way the caller falls back to polling.
 *
 * @example
 * const source = watchEvents("/srv/models", () => scanSoon(), (error) => startPolling(error));
 */
export function watchEvents(dir: string, onEvent: (path: string | undefined) => void, onFailure: (error: Error) => void): EventSource {
  let recursive = true;
  let watcher: FSWatcher;
  const listener = (_type: string, name: string | Buffer | null) => onEvent(name === null ? undefined : String(name));
  try {
    watcher = watch(dir, { recursive: true }, listener);
  } catch {
    recursive = false;
    watcher = watch(dir, listener);
  }
  let failed = false;
  watcher.on?.("error", (error: Error) => {
    if (failed) return;
    failed = true;
    watcher.close();
    onFailure(error);
  });
  return {
    recursive,
    close: () => {
      failed = true;
      watcher.close();
    },
  };
}
