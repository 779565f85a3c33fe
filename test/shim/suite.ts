/**
 * The describe/test tree of one test file, laid onto `Deno.test` (part of the `bun:test` shim,
 * ./bun-test.ts). Deno runs each test file in its own isolate, so this module's state is one
 * file's. Every `test` becomes one `Deno.test`, registered while the file is evaluated; hooks run
 * around it the way bun:test runs them: a scope's `beforeAll` before its first test, its
 * `afterAll` after its last one, `beforeEach`/`afterEach` from the outermost scope in.
 */
import process from "node:process";

/** A test body or hook: sync, async, or taking a `done` callback. */
export type Body = (...args: any[]) => unknown;

/** Options of a test: a timeout in ms, or `{ timeout }`. */
export type TestOptions = number | { timeout?: number } | undefined;

/** A hook and its own time limit, if it has one. */
interface Hook {
  body: Body;
  timeoutMs: number | undefined;
}

const timeoutOf = (options: TestOptions) => (typeof options === "number" ? options : options?.timeout);

interface Scope {
  name: string;
  parent: Scope | undefined;
  skipped: boolean;
  only: boolean;
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
  started: boolean;
  setupError: unknown;
}

interface Entry {
  scope: Scope;
  runnable: boolean;
}

/** The part of Deno's test API used here (Deno's types are not part of this build). */
interface DenoTestDefinition {
  name: string;
  fn: () => Promise<void>;
  ignore?: boolean;
  only?: boolean;
  sanitizeOps?: boolean;
  sanitizeResources?: boolean;
  sanitizeExit?: boolean;
}
const deno = (globalThis as unknown as { Deno: { test(definition: DenoTestDefinition): void } }).Deno;

/** How a test or describe block was declared: `.skip`/`.skipIf`/`.todo`, or `.only`. */
export interface Flags {
  skipped?: boolean;
  only?: boolean;
}

const newScope = (name: string, parent: Scope | undefined, flags: Flags): Scope => ({
  name,
  parent,
  skipped: flags.skipped === true || parent?.skipped === true,
  only: flags.only === true || parent?.only === true,
  beforeAll: [],
  afterAll: [],
  beforeEach: [],
  afterEach: [],
  started: false,
  setupError: undefined,
});

const root = newScope("", undefined, {});
let current = root;
const entries: Entry[] = [];
/** bun test's default; `TEST_TIMEOUT_MS` plays the part of `bun test --timeout` (deno.json sets 60000, as npm test does). */
let defaultTimeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 5000);

/** `setDefaultTimeout`: the timeout of the tests that give none. */
export function setDefaultTimeout(ms: number): void {
  defaultTimeoutMs = ms;
}

/** Adds a hook to the scope being declared; without a timeout of its own it has the test's. */
export function addHook(kind: "beforeAll" | "afterAll" | "beforeEach" | "afterEach", body: Body, options?: TestOptions): void {
  current[kind].push({ body, timeoutMs: timeoutOf(options) });
}

/** Declares a describe block; its body runs now, as in bun:test. */
export function addDescribe(name: string, body: () => unknown, flags: Flags = {}): void {
  const scope = newScope(name, current, flags);
  const outer = current;
  current = scope;
  try {
    const result = body();
    if (result instanceof Promise) throw new Error(`describe("${name}") must not be async: its tests are declared synchronously`);
  } finally {
    current = outer;
  }
}

/** Declares one test as one Deno.test. */
export function addTest(name: string, body: Body, options: TestOptions, flags: Flags = {}): void {
  const scope = current;
  const entry: Entry = { scope, runnable: !(flags.skipped === true || scope.skipped) };
  entries.push(entry);
  const timeoutMs = timeoutOf(options);
  deno.test({
    name: [...chain(scope).map((s) => s.name).filter((n) => n !== ""), name].join(" > "),
    ignore: !entry.runnable,
    only: flags.only === true || scope.only,
    // Services, workers and child processes outlive single tests on purpose (beforeAll/afterAll).
    sanitizeOps: false,
    sanitizeResources: false,
    sanitizeExit: false,
    fn: () => run(entry, body, timeoutMs ?? defaultTimeoutMs),
  });
}

/** The scopes from the file's root down to `scope`. */
function chain(scope: Scope): Scope[] {
  const scopes: Scope[] = [];
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) scopes.unshift(s);
  return scopes;
}

async function run(entry: Entry, body: Body, timeoutMs: number): Promise<void> {
  const scopes = chain(entry.scope);
  const errors: unknown[] = [];
  try {
    for (const scope of scopes) {
      if (!scope.started) {
        scope.started = true;
        for (const hook of scope.beforeAll) {
          await call(hook.body, hook.timeoutMs ?? timeoutMs, "beforeAll hook").catch((error: unknown) => (scope.setupError ??= error));
        }
      }
      if (scope.setupError !== undefined) throw scope.setupError;
    }
    try {
      for (const scope of scopes) for (const hook of scope.beforeEach) await call(hook.body, hook.timeoutMs ?? timeoutMs, "beforeEach hook");
      await call(body, timeoutMs, "test");
    } finally {
      for (const scope of [...scopes].reverse()) {
        for (const hook of scope.afterEach) await call(hook.body, hook.timeoutMs ?? timeoutMs, "afterEach hook").catch((error: unknown) => errors.push(error));
      }
    }
  } catch (error) {
    errors.unshift(error);
  } finally {
    // A scope ends after the last test that runs inside it.
    for (const scope of [...scopes].reverse()) {
      if (lastRunnable(scope) !== entry) break;
      for (const hook of scope.afterAll) await call(hook.body, hook.timeoutMs ?? timeoutMs, "afterAll hook").catch((error: unknown) => errors.push(error));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} failures: ${errors.map(String).join("; ")}`);
}

function lastRunnable(scope: Scope): Entry | undefined {
  const within = (s: Scope | undefined): boolean => s !== undefined && (s === scope || within(s.parent));
  return entries.findLast((entry) => entry.runnable && within(entry.scope));
}

/** Runs a test or hook within its time limit; a body that takes a parameter gets `done`. */
function call(body: Body, timeoutMs: number, what: string): Promise<void> {
  const started =
    body.length > 0
      ? new Promise<void>((resolve, reject) => body((error?: unknown) => (error ? reject(error) : resolve())))
      : Promise.resolve().then(() => body());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`this ${what} timed out after ${timeoutMs}ms`)), timeoutMs);
  });
  return Promise.race([started.then(() => undefined), limit]).finally(() => clearTimeout(timer));
}
