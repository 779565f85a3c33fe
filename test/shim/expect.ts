/**
 * `expect` of the `bun:test` shim (./bun-test.ts): Jest's `expect`, whose API and semantics
 * bun:test's copies, with jest-extended's matchers (Bun's extras such as `toStartWith` and
 * `toBeFunction` come from there) and the few Bun has that neither does. Like Bun's, it takes an
 * optional message that is put before a failure's own.
 */
import { expect as jestExpect } from "expect";
import * as extended from "jest-extended";

const matchers = Object.fromEntries(Object.entries(extended).filter(([, value]) => typeof value === "function"));
jestExpect.extend(matchers as Parameters<typeof jestExpect.extend>[0]);
jestExpect.extend({
  toBeTypeOf(received: unknown, type: string) {
    const actual = received === null ? "null" : Array.isArray(received) ? "array" : typeof received;
    const pass = typeof received === type;
    return { pass, message: () => `expected a value of type ${type}${pass ? " not" : ""}, got ${actual}` };
  },
});

type Expect = typeof jestExpect;

/** Wraps the matchers so that a failure starts with `message`. */
function withMessage<T extends object>(matchers: T, message: string): T {
  const prefix = (error: unknown) => {
    if (error instanceof Error) error.message = `${message}\n\n${error.message}`;
    throw error;
  };
  return new Proxy(matchers, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value === "object" && value !== null) return withMessage(value, message);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        try {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result instanceof Promise ? result.catch(prefix) : result;
        } catch (error) {
          return prefix(error);
        }
      };
    },
  });
}

/** `expect(actual, message?)` with Jest's asymmetric matchers (`expect.any`, …) on it. */
export const expect = Object.assign(
  (actual: unknown, message?: string) => (message === undefined ? jestExpect(actual) : withMessage(jestExpect(actual), message)),
  jestExpect,
) as unknown as Expect;
