/**
 * `bun:test` for Deno: deno.json maps the specifier here, so that the same test files run under
 * `deno test` (`npm run test:deno`) with the same assertions. describe/test and the hooks are laid
 * onto `Deno.test` (./suite.ts); `expect` is Jest's (./expect.ts); `mock` and `spyOn` are
 * jest-mock's. Only what bun:test offers under the same names, with the same meaning.
 */
import "./preloads.ts";
import { inspect } from "node:util";
import { ModuleMocker } from "jest-mock";
import { addDescribe, addHook, addTest, setDefaultTimeout, type Body, type Flags, type TestOptions } from "./suite.ts";

export { expect } from "./expect.ts";
export { setDefaultTimeout };

type Declare = (name: string, body: Body, options?: TestOptions) => void;
type Table = readonly unknown[];

/** printf-style test titles of `.each`, as bun:test writes them (`%s %d %i %f %j %o %p %#`, `$key`). */
function title(template: string, args: unknown[], index: number): string {
  let next = 0;
  const named = args.length === 1 && typeof args[0] === "object" && args[0] !== null && !Array.isArray(args[0]);
  const text = template.replace(/%([sdifjoOp#%])/g, (_, code: string) => {
    if (code === "%") return "%";
    if (code === "#") return String(index);
    const value = args[next++];
    if (code === "s") return typeof value === "string" ? value : inspect(value);
    if (code === "d" || code === "i") return String(code === "i" ? Math.trunc(Number(value)) : Number(value));
    if (code === "f") return String(Number(value));
    if (code === "j") return JSON.stringify(value);
    return inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY });
  });
  if (!named) return text;
  return text.replace(/\$([A-Za-z_][\w.]*)/g, (whole, path: string) => {
    const value = path.split(".").reduce<unknown>((object, key) => (object as Record<string, unknown> | undefined)?.[key], args[0]);
    return value === undefined ? whole : typeof value === "string" ? value : inspect(value);
  });
}

/** `.each(table)`: one declaration per row; array rows are spread into the body's arguments. */
const each =
  (declare: (name: string, body: Body, options?: TestOptions) => void) =>
  (table: Table) =>
  (name: string, body: Body, options?: TestOptions) =>
    table.forEach((row, index) => {
      const args = Array.isArray(row) ? row : [row];
      declare(title(name, args, index), () => body(...args), options);
    });

function testApi() {
  const declare = (flags: Flags): Declare => (name, body, options) => addTest(name, body, options, flags);
  const run = declare({});
  return Object.assign(run, {
    skip: declare({ skipped: true }),
    only: declare({ only: true }),
    todo: (name: string, body?: Body) => addTest(`${name} (todo)`, body ?? (() => undefined), undefined, { skipped: true }),
    skipIf: (condition: unknown) => declare({ skipped: Boolean(condition) }),
    if: (condition: unknown) => declare({ skipped: !condition }),
    todoIf: (condition: unknown) => declare({ skipped: Boolean(condition) }),
    each: each(run),
  });
}

type DeclareDescribe = (name: string, body: () => unknown) => void;

function describeApi() {
  const declare = (flags: Flags): DeclareDescribe => (name, body) => addDescribe(name, body, flags);
  const run = declare({});
  return Object.assign(run, {
    skip: declare({ skipped: true }),
    only: declare({ only: true }),
    todo: declare({ skipped: true }),
    skipIf: (condition: unknown) => declare({ skipped: Boolean(condition) }),
    if: (condition: unknown) => declare({ skipped: !condition }),
    each: (table: Table) => (name: string, body: Body) =>
      table.forEach((row, index) => {
        const args = Array.isArray(row) ? row : [row];
        run(title(name, args, index), () => body(...args));
      }),
  });
}

/** bun:test's `test`, with `.skip`, `.only`, `.todo`, `.skipIf`, `.if`, `.todoIf`, `.each`. */
export const test = testApi() as unknown as typeof import("bun:test").test;
export const it = test;
/** bun:test's `describe`, with `.skip`, `.only`, `.todo`, `.skipIf`, `.if`, `.each`. */
export const describe = describeApi() as unknown as typeof import("bun:test").describe;

export const beforeAll = (hook: Body, options?: TestOptions): void => addHook("beforeAll", hook, options);
export const afterAll = (hook: Body, options?: TestOptions): void => addHook("afterAll", hook, options);
export const beforeEach = (hook: Body, options?: TestOptions): void => addHook("beforeEach", hook, options);
export const afterEach = (hook: Body, options?: TestOptions): void => addHook("afterEach", hook, options);

const mocker = new ModuleMocker(globalThis);
/** `mock(fn)`: a mock function (jest-mock's), with `.mock.calls` and the `toHaveBeenCalled…` matchers. */
export const mock = Object.assign(mocker.fn.bind(mocker), {
  module: () => {
    throw new Error("mock.module is Bun-only: the bun:test shim for Deno cannot replace modules");
  },
  restore: () => mocker.restoreAllMocks(),
  clearAllMocks: () => mocker.clearAllMocks(),
});
export const spyOn = mocker.spyOn.bind(mocker);
/** The `jest` object bun:test offers for compatibility. */
export const jest = { fn: mock, spyOn, restoreAllMocks: mock.restore, clearAllMocks: mock.clearAllMocks, setTimeout: setDefaultTimeout };
