import type { ModelCache } from "../cache/model-cache.ts";
import type { WatchMode } from "../config/config.ts";
import type { Logger } from "../logging/logger.ts";
import { snapshotFolder } from "./folder-snapshot.ts";
import { watchEvents, type EventSource } from "./fs-events.ts";
import { planLoads, specKey, type ModelView } from "./plan-loads.ts";
import { SettleTracker, type PendingChange } from "./settle-tracker.ts";
import type { ActiveWatchMode, WatchStatus } from "./watch-status.ts";

/** The cache operations the watcher uses (all public). */
export type WatchedCache = Pick<ModelCache, "rescan" | "loadModel" | "modelNames" | "spec" | "status">;

/** What a FolderWatcher is built from. */
export interface FolderWatcherOptions {
  cache: WatchedCache;
  modelsDir: string;
  /** Folders inside the models folder that are never models (the transformers cache). */
  skip: string[];
  enabled: boolean;
  mode: WatchMode;
  settleMs: number;
  pollMs: number;
  log: Logger;
  /** Fingerprints the registry was built from (taken before discovery); default: the first scan's. */
  baseline?: ReadonlyMap<string, string>;
  /** Starts file-system events (tests pass one that fails, as inotify does when out of watches). */
  startEvents?: typeof watchEvents;
}

/** Events in a burst are gathered this long before a scan. */
const EVENT_DEBOUNCE_MS = 100;

/**
 * Keeps the registry in line with the models folder while the service runs: a model added is
 * registered and loaded, a changed one reloaded behind the instance serving (the cache's atomic
 * swap), a removed one dropped and unloaded after its requests in flight; an edited manifest is
 * applied by running discovery again. Changes are acted upon only once settled
 * ({@link SettleTracker}); file-system events trigger scans, a poll catches what events miss
 * (network volumes) and takes over when events fail. Changes are applied one batch at a time:
 * what settles during a load waits for one more batch. A failed load is not retried until its
 * files change again, and nothing stops the watching but {@link stop}.
 *
 * @example
 * const watcher = new FolderWatcher({ cache, modelsDir, skip: [cacheDir], enabled: true, mode: "auto", settleMs: 1000, pollMs: 5000, log });
 * watcher.start(initialLoad);
 * watcher.status(); // { mode: "events+poll", pending: [], … }
 */
export class FolderWatcher {
  private tracker: SettleTracker | undefined;
  private events: EventSource | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private scanTimer: ReturnType<typeof setTimeout> | undefined;
  private scanDue = Infinity;
  private scanning = false;
  private scanAgain = false;
  private queued = new Map<string, PendingChange>();
  private applying: Promise<void> | undefined;
  private ready: Promise<unknown> = Promise.resolve();
  private lastSpecs = new Map<string, string>();
  private refused = new Set<string>();
  private active: ActiveWatchMode = "off";
  private stopped = false;
  private scans = 0;
  private lastScanAt: number | undefined;
  private changesApplied = 0;
  private lastError: string | undefined;

  constructor(private readonly options: FolderWatcherOptions) {}

  /**
   * Starts watching (when enabled). Changes are applied only after `ready` settles (the first
   * load), so a change made during it is applied after it, never alongside.
   */
  start(ready: Promise<unknown> = Promise.resolve()): void {
    const { enabled, mode, modelsDir, pollMs, log } = this.options;
    if (!enabled || this.stopped) return;
    this.ready = ready.catch(() => undefined);
    this.lastSpecs = new Map(this.views().map(([name, view]) => [name, specKey(view.spec)]));
    if (this.options.baseline !== undefined) this.tracker = new SettleTracker(this.options.settleMs, this.options.baseline);
    if (mode !== "poll") {
      try {
        this.events = (this.options.startEvents ?? watchEvents)(modelsDir, (path) => this.onEvent(path), (error) => this.eventsFailed(error));
      } catch (error) {
        this.eventsFailed(error as Error);
      }
    }
    if (mode === "poll" || (mode === "auto" && this.events !== undefined)) this.startPolling();
    this.active = this.events === undefined ? "poll" : this.pollTimer === undefined ? "events" : "events+poll";
    log.info(`Watching the models folder for changes (${this.active}, settle ${this.options.settleMs} ms${this.pollTimer ? `, poll every ${pollMs} ms` : ""})`);
    this.requestScan(0);
  }

  /** Stops watching; a change being applied finishes on its own (the cache refuses loads once stopping). */
  stop(): void {
    this.stopped = true;
    this.events?.close();
    this.events = undefined;
    clearInterval(this.pollTimer);
    clearTimeout(this.scanTimer);
    this.pollTimer = this.scanTimer = undefined;
  }

  /** The watcher's state, for `GET /api/v1/watch`. */
  status(): WatchStatus {
    const { enabled, mode, settleMs, pollMs } = this.options;
    const offset = Date.now() - performance.now();
    const status: WatchStatus = {
      enabled,
      configured_mode: mode,
      mode: this.stopped ? "off" : this.active,
      recursive_events: this.events?.recursive ?? false,
      settle_ms: settleMs,
      poll_ms: pollMs,
      scans: this.scans,
      last_scan_at: this.lastScanAt === undefined ? null : Math.round(this.lastScanAt) / 1000,
      changes_applied: this.changesApplied,
      applying: this.applying !== undefined,
      pending: (this.tracker?.pending() ?? []).map(({ path, since }) => ({ path, since: Math.round(since + offset) / 1000 })),
      refused: [...this.refused].sort(),
    };
    if (this.lastError !== undefined) status.last_error = this.lastError;
    return status;
  }

  private onEvent(path: string | undefined): void {
    // Downloads into the transformers cache are no change of a model.
    if (path !== undefined && this.options.skip.some((dir) => `${this.options.modelsDir}/${path}`.startsWith(`${dir}/`))) return;
    this.requestScan(EVENT_DEBOUNCE_MS);
  }

  private eventsFailed(error: Error): void {
    this.events = undefined;
    const why = `file-system events unavailable (${(error as NodeJS.ErrnoException).code ?? error.message}); polling every ${this.options.pollMs} ms`;
    this.lastError = why;
    this.options.log.warn(`Models folder watch: ${why}`);
    if (!this.stopped) this.startPolling();
    this.active = "poll";
  }

  private startPolling(): void {
    this.pollTimer ??= setInterval(() => this.requestScan(0), this.options.pollMs);
  }

  /** Scans in `delayMs`, or sooner if a scan is already due sooner. */
  private requestScan(delayMs: number): void {
    if (this.stopped) return;
    const due = performance.now() + delayMs;
    if (this.scanTimer !== undefined && this.scanDue <= due) return;
    clearTimeout(this.scanTimer);
    this.scanDue = due;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      void this.scan();
    }, delayMs);
  }

  private async scan(): Promise<void> {
    if (this.scanning) {
      this.scanAgain = true;
      return;
    }
    this.scanning = true;
    try {
      const { entries, refused } = await snapshotFolder(this.options.modelsDir, this.options.skip);
      // A scan that was under way when the watcher stopped changes nothing.
      if (this.stopped) return;
      this.noteRefused(refused);
      const at = performance.now();
      if (this.tracker === undefined) {
        this.tracker = new SettleTracker(this.options.settleMs, entries);
      } else {
        const waiting = new Set(this.tracker.pending().map((change) => change.path));
        const settled = this.tracker.observe(entries, at);
        for (const change of this.tracker.pending()) {
          if (!waiting.has(change.path)) {
            this.options.log.info(`Models folder: "${change.path}" ${change.kind}; waiting until it stays still for ${this.options.settleMs} ms`, { path: change.path });
          }
        }
        if (settled.size > 0) this.enqueue(settled);
      }
      this.scans++;
      this.lastScanAt = at + Date.now() - performance.now();
    } catch (error) {
      if (!this.stopped) this.noteError(`the models folder cannot be scanned (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    } finally {
      this.scanning = false;
    }
    if (this.scanAgain) {
      this.scanAgain = false;
      this.requestScan(0);
      return;
    }
    const next = this.tracker?.nextCheckAt();
    if (next !== undefined) this.requestScan(Math.max(0, next - performance.now()));
  }

  private noteRefused(paths: string[]): void {
    for (const path of paths) {
      if (!this.refused.has(path)) this.options.log.warn(`Models folder: "${path}" is a symbolic link that leads outside the models folder; refused`, { path });
    }
    this.refused = new Set(paths);
  }

  private noteError(message: string): void {
    if (message !== this.lastError) this.options.log.error(`Models folder watch: ${message}; watching goes on`);
    this.lastError = message;
  }

  private enqueue(settled: Map<string, PendingChange>): void {
    for (const [path, change] of settled) {
      this.options.log.info(`Models folder: "${path}" settled (${change.kind})`, { path });
      this.queued.set(path, change);
    }
    this.kick();
  }

  /** Applies what is queued, one batch at a time; what settles meanwhile makes the next batch. */
  private kick(): void {
    if (this.applying !== undefined || this.stopped || this.queued.size === 0) return;
    this.applying = (async () => {
      await this.ready;
      if (this.stopped) return;
      const batch = this.queued;
      this.queued = new Map();
      await this.apply(new Set(batch.keys()));
    })().finally(() => {
      this.applying = undefined;
      this.kick();
    });
  }

  private async apply(changed: Set<string>): Promise<void> {
    const { cache, log } = this.options;
    try {
      await cache.rescan();
    } catch (error) {
      // Nothing was applied: the same entries count as changed at the next scan, and retry.
      this.tracker?.forget(changed);
      this.noteError(`a rescan failed (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    const after = new Map(this.views());
    const plan = planLoads({ changed, settling: (entry) => this.tracker?.isSettling(entry) ?? false, before: this.lastSpecs, after });
    this.lastSpecs = new Map([...after].map(([name, view]) => [name, specKey(view.spec)]));
    this.changesApplied += changed.size;
    await Promise.all(
      plan.map(async ({ name, reason }) => {
        log.info(`Models folder: ${cache.status(name) === "loaded" ? "reloading" : "loading"} "${name}" (${reason})`, { model: name });
        // An error here is the model's own (it was removed meanwhile, say): the next change retries.
        await cache.loadModel(name).catch((error: Error) => log.warn(`Models folder: "${name}" was not loaded: ${error.message}`, { model: name }));
      }),
    );
  }

  private views(): [string, ModelView][] {
    const { cache } = this.options;
    return cache.modelNames.flatMap((name): [string, ModelView][] => {
      const spec = cache.spec(name);
      const status = cache.status(name);
      return spec === undefined || status === undefined ? [] : [[name, { spec, status }]];
    });
  }
}
