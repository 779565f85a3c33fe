import type { ModelCache } from "../cache/model-cache.ts";
import type { Discovery } from "../discovery/discover-models.ts";
import { modelNotFound } from "../errors/model-not-found.ts";
import type { Logger } from "../logging/logger.ts";
import { silentLogger } from "../logging/logger.ts";
import type { GroupSpec, ShadowSpec, VariantSpec } from "../versions/model-group.ts";
import { groupsOf } from "./groups-of.ts";
import { versionNotFound } from "./version-not-found.ts";
import type { Route, Target, TrafficEvent } from "./route.ts";
import { ShadowTraffic } from "./shadow-traffic.ts";
import { isClientError, TrafficStats } from "./traffic-stats.ts";
import { PercentSampler, VariantPicker } from "./variant-picker.ts";

/** What a router is built from. */
export interface ModelRouterOptions {
  /** Most shadow copies running at once (`SHADOW_MAX_IN_FLIGHT`); more are dropped and counted. */
  shadowMaxInFlight: number;
  log?: Logger;
  /** Called for every finished request and shadow copy (metrics). */
  observe?: (event: TrafficEvent) => void;
}

/** Where a model's default version comes from. */
export type DefaultSource = "admin" | "manifest" | "latest";

/** A model's versions and routing as the registry shows them. */
export interface GroupDescription {
  spec: GroupSpec;
  defaultVersion: string;
  defaultFrom: DefaultSource;
  /** True while a default set through the admin route holds the traffic (the weights wait). */
  routingSuspended: boolean;
}

interface GroupState {
  spec: GroupSpec;
  /** The routing as JSON: the picker's interleaving survives rediscoveries that leave it as it was. */
  routingKey: string;
  picker?: VariantPicker;
  sampler?: PercentSampler;
  /** A default set through the admin route, and the manifest decisions it overrides. */
  override?: { version: string; basis: string };
}

/**
 * Between the HTTP face and the cache: knows every model's versions (one cache record each),
 * default version, version policy and routing, and turns (name, optional version, request
 * headers) into the record that answers plus, maybe, a shadow copy's record. It counts each
 * version's traffic (requests, errors, latency, shadow copies) for comparing variants.
 *
 * @example
 * const route = router.resolve("iris", undefined, request.headers);
 * const answer = await router.run(route, (target) => inference.infer(target, body));
 */
export class ModelRouter {
  private groups = new Map<string, GroupState>();
  readonly traffic = new TrafficStats();
  private readonly shadows: ShadowTraffic;
  private readonly log: Logger;

  constructor(
    private readonly cache: ModelCache,
    private readonly options: ModelRouterOptions,
  ) {
    this.log = options.log ?? silentLogger;
    this.shadows = new ShadowTraffic(options.shadowMaxInFlight, this.log, options.observe);
  }

  /**
   * Takes in what a discovery found: new groups, new weights and defaults. Idempotent: the same
   * discovery twice changes nothing. A default set through the admin route stays until the
   * manifest's own `default_version` or routing of that model changes, or its version goes.
   */
  apply(discovery: Discovery): void {
    const next = new Map<string, GroupState>();
    for (const spec of discovery.groups ?? groupsOf(discovery.specs)) {
      const old = this.groups.get(spec.name);
      const routingKey = JSON.stringify(spec.routing ?? null);
      const state: GroupState = { spec, routingKey };
      const variants = spec.routing?.variants ?? [];
      if (old !== undefined && old.routingKey === routingKey) {
        if (old.picker !== undefined) state.picker = old.picker;
        if (old.sampler !== undefined) state.sampler = old.sampler;
      } else {
        if (variants.length > 0) state.picker = new VariantPicker(variants.map((variant) => variant.weight), spec.name);
        if (spec.routing?.shadow !== undefined) state.sampler = new PercentSampler(spec.routing.shadow.percent);
      }
      const override = old?.override;
      if (override !== undefined) {
        if (override.basis === basisOf(spec) && spec.versions.some((served) => served.version === override.version)) state.override = override;
        else this.log.info(`The default version of "${spec.name}" set through the API gives way to the manifest`, { model: spec.name });
      }
      next.set(spec.name, state);
    }
    this.groups = next;
  }

  /** True when `name` is a model the router knows (from discovery). */
  has(name: string): boolean {
    return this.groups.has(name);
  }

  /**
   * The route of one request. With a version, that version (no weights, no shadow); without,
   * the variant that the weights (and the sticky header, when the request carries it) choose,
   * or the default version. Throws NotFoundError for an unknown model or version.
   */
  resolve(name: string, version?: string, headers?: Headers): Route {
    const state = this.groups.get(name);
    if (state === undefined) return { target: this.unroutedTarget(name, version) };
    if (version !== undefined) return { target: this.versionTarget(state, version) };
    const routing = state.spec.routing;
    let target: Target;
    if (state.picker !== undefined && routing !== undefined && state.override === undefined) {
      const key = routing.stickyHeader === undefined ? undefined : headers?.get(routing.stickyHeader) || undefined;
      target = this.targetOf(state, routing.variants[state.picker.pick(key)]!);
    } else {
      target = this.versionTarget(state, defaultOf(state));
    }
    if (routing?.shadow === undefined || !state.sampler!.take()) return { target };
    const shadow = this.targetOf(state, routing.shadow);
    return shadow.id === target.id ? { target } : { target, shadow };
  }

  /**
   * One version of a model, or its default version, with no weights, no shadow and nothing
   * counted: what metadata and readiness describe. Throws NotFoundError like `resolve`.
   */
  locate(name: string, version?: string): Target {
    const state = this.groups.get(name);
    if (state === undefined) return this.unroutedTarget(name, version);
    return this.versionTarget(state, version ?? defaultOf(state));
  }

  /** The record id of a model's default version, or `undefined` for a name that is not a model. */
  defaultId(name: string): string | undefined {
    try {
      return this.locate(name).id;
    } catch {
      return undefined;
    }
  }

  /**
   * Runs one request on its route's target, counting it, and then sends its shadow copy with
   * `shadowCall` (default: `call`). The copy never changes the answer, its status or its timing.
   */
  async run<T>(route: Route, call: (target: Target) => Promise<T>, shadowCall: (target: Target) => Promise<unknown> = call): Promise<T> {
    const counter = this.traffic.of(route.target.id);
    const started = performance.now();
    try {
      const answer = await call(route.target);
      const ms = performance.now() - started;
      counter.served(ms);
      this.options.observe?.({ target: route.target, kind: "request", outcome: "ok", ms });
      return answer;
    } catch (error) {
      const ms = performance.now() - started;
      counter.failed(error, ms);
      this.options.observe?.({ target: route.target, kind: "request", outcome: isClientError(error) ? "bad_request" : "error", ms });
      throw error;
    } finally {
      const shadow = route.shadow;
      if (shadow !== undefined) this.shadows.send(shadow, this.traffic.of(shadow.id), () => shadowCall(shadow));
    }
  }

  /** Counts a request that `target` failed and a fallback answered (it is not an error to the client). */
  noteFallback(target: Target): void {
    this.traffic.of(target.id).fellBack();
  }

  /** Record ids of every version the name can send traffic to: the variants with weight, or the default. */
  routedIds(name: string): string[] {
    const state = this.groups.get(name);
    if (state === undefined) return [this.unroutedTarget(name).id];
    const variants = state.spec.routing?.variants ?? [];
    if (state.picker === undefined || state.override !== undefined) return [this.versionTarget(state, defaultOf(state)).id];
    return [...new Set(variants.filter((variant) => variant.weight > 0).map((variant) => this.targetOf(state, variant).id))];
  }

  /** Record ids of every served version of a model (admin load, unload and reload act on all). */
  idsOf(name: string): string[] {
    const state = this.groups.get(name);
    if (state !== undefined) return state.spec.versions.map((served) => served.id);
    return [this.unroutedTarget(name).id];
  }

  /** Served versions of a model, oldest first. */
  versionsOf(name: string): string[] {
    const state = this.groups.get(name);
    if (state !== undefined) return state.spec.versions.map((served) => served.version);
    return [this.unroutedTarget(name).version];
  }

  /**
   * Makes `version` the model's default without a restart (a rollback, say): it takes all of
   * the model's traffic, the manifest's weights waiting, until the manifest's default or routing
   * of this model changes or {@link clearDefault} is called.
   */
  setDefault(name: string, version: string): void {
    const state = this.known(name);
    this.versionTarget(state, version);
    state.override = { version, basis: basisOf(state.spec) };
    this.log.info(`Default version of "${name}" set to "${version}" through the API`, { model: name, version });
  }

  /** Gives the default back to the manifest (or the newest version). */
  clearDefault(name: string): void {
    const state = this.known(name);
    if (state.override !== undefined) this.log.info(`Default version of "${name}" given back to the manifest`, { model: name });
    delete state.override;
  }

  /** Versions, default and routing of one model, or `undefined` for a name discovery did not find. */
  describe(name: string): GroupDescription | undefined {
    const state = this.groups.get(name);
    if (state === undefined) return undefined;
    const defaultFrom: DefaultSource = state.override !== undefined ? "admin" : state.spec.declaredDefault !== undefined ? "manifest" : "latest";
    return { spec: state.spec, defaultVersion: defaultOf(state), defaultFrom, routingSuspended: state.override !== undefined && state.picker !== undefined };
  }

  /** Shadow copies running now. */
  get shadowsInFlight(): number {
    return this.shadows.inFlight;
  }

  /** Settles when every shadow copy sent so far has finished (tests, shutdown). */
  shadowsSettled(): Promise<void> {
    return this.shadows.settled();
  }

  private known(name: string): GroupState {
    const state = this.groups.get(name);
    if (state === undefined) throw modelNotFound(name);
    return state;
  }

  /** A variant's or shadow's target: a version of this model, or another model's version or default. */
  private targetOf(state: GroupState, target: VariantSpec | ShadowSpec): Target {
    const owner = target.model === undefined ? state : this.groups.get(target.model);
    if (owner === undefined) return this.unroutedTarget(target.model!, target.version);
    return this.versionTarget(owner, target.version ?? defaultOf(owner));
  }

  private versionTarget(state: GroupState, version: string): Target {
    const served = state.spec.versions.find((candidate) => candidate.version === version);
    if (served === undefined) throw versionNotFound(state.spec, version);
    return { id: served.id, model: state.spec.name, version };
  }

  /** A model the router has no group for: one set through the API, or a record registered by hand. */
  private unroutedTarget(name: string, version?: string): Target {
    const spec = this.cache.spec(name);
    if (spec === undefined || (spec.group !== undefined && spec.group !== name)) throw modelNotFound(name);
    if (version !== undefined && version !== spec.version) {
      throw versionNotFound({ name, versions: [{ version: spec.version, id: name }], unserved: [] }, version);
    }
    return { id: name, model: name, version: spec.version };
  }
}

function defaultOf(state: GroupState): string {
  return state.override?.version ?? state.spec.defaultVersion;
}

/** The manifest decisions an admin default overrides: when they change, the manifest wins again. */
function basisOf(spec: GroupSpec): string {
  return JSON.stringify([spec.declaredDefault ?? null, spec.routing ?? null]);
}
