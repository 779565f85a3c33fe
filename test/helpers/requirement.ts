/**
 * A gate for tests that need something the repository does not hold (the shared fixtures, a
 * Debian tool). When it is there the gate's `test`/`describe`/hooks are bun's own. When it is
 * missing they skip, counted in the skip ledger (one summary line at the end of the run), or,
 * when the requirement's variable is set to 1 (as CI does), they fail naming what is missing.
 */
import { afterAll as bunAfterAll, beforeAll as bunBeforeAll, describe as bunDescribe, test as bunTest } from "bun:test";
import { recordMissing } from "./skip-ledger.ts";

type Body = () => void | Promise<unknown>;
type Options = Parameters<typeof bunTest>[2];
type Row = readonly unknown[] | unknown;
type EachBody<T> = T extends readonly unknown[] ? (...args: T) => void | Promise<unknown> : (arg: T) => void | Promise<unknown>;

/** What a requirement is and whether it is met. */
export interface RequirementSpec {
  /** What the tests need, as the summary names it: `../shared/fixtures`, `wrk`. */
  name: string;
  /** Why it is missing and how to provide it; `undefined` when it is there. */
  missing: string | undefined;
  /** The environment variable that, set to 1, turns a missing requirement into failures. */
  variable: string;
}

/**
 * Gated `test`, `describe`, `beforeAll` and `afterAll`, bound so that a file can destructure them
 * in place of bun's.
 *
 * @example
 * const { describe, test, beforeAll } = sharedFixtures; // everything in this file needs them
 * sharedFixtures.test("reads the titanic pipeline", async () => { … }); // just this one
 */
export class Requirement {
  readonly available: boolean;
  /** Inside a describe skipped by this gate: its tests are counted, never made to fail. */
  private skippedDepth = 0;

  constructor(private readonly spec: RequirementSpec) {
    this.available = spec.missing === undefined;
  }

  /** True when the variable makes a missing requirement a failure. */
  get enforced(): boolean {
    return process.env[this.spec.variable] === "1";
  }

  /** The error a test fails with when the requirement is enforced and missing. */
  get failure(): Error {
    return new Error(`${this.described} is missing, and ${this.spec.variable}=1 requires it`);
  }

  /** A test that runs only when the requirement is met. */
  readonly test = Object.assign(
    (label: string, fn: Body, options?: Options): void => {
      if (this.available) return bunTest(label, fn, options);
      this.record(1);
      if (this.mustFail) return bunTest(label, () => { throw this.failure; });
      bunTest.skip(label, fn);
    },
    {
      /** `test.each` behind the same gate. */
      each: <T extends Row>(table: readonly T[]) =>
        (label: string, fn: EachBody<T>, options?: Options): void => {
          type Each = (rows: readonly T[]) => (l: string, f: EachBody<T>, o?: Options) => void;
          if (this.available) return (bunTest.each as Each).call(bunTest, table)(label, fn, options);
          this.record(table.length);
          if (this.mustFail) return (bunTest.each as Each).call(bunTest, table)(label, (() => { throw this.failure; }) as unknown as EachBody<T>);
          // One skipped test per row (bun prints skipped rows' titles unformatted anyway).
          for (const _row of table) bunTest.skip(label, fn as Body);
        },
    },
  );

  /**
   * A describe block that runs only when the requirement is met. When it is missing its hooks
   * never run; its tests (written with this gate's `test`) are counted as skipped; when enforced
   * one test beside it fails naming what is missing.
   */
  readonly describe = (label: string, fn: () => void): void => {
    if (this.available) return bunDescribe(label, fn);
    if (this.mustFail) bunTest(`${label}: needs ${this.spec.name}`, () => { throw this.failure; });
    bunDescribe.skip(label, () => {
      this.skippedDepth++;
      try {
        fn();
      } finally {
        this.skippedDepth--;
      }
    });
  };

  /** `beforeAll`, registered only when the requirement is met. */
  readonly beforeAll = (fn: Body, options?: Parameters<typeof bunBeforeAll>[1]): void => {
    if (this.available) bunBeforeAll(fn, options);
  };

  /** `afterAll`, registered only when the requirement is met. */
  readonly afterAll = (fn: Body, options?: Parameters<typeof bunAfterAll>[1]): void => {
    if (this.available) bunAfterAll(fn, options);
  };

  private get described(): string {
    return `${this.spec.name} (${this.spec.missing ?? "present"})`;
  }

  private get mustFail(): boolean {
    return this.enforced && this.skippedDepth === 0;
  }

  private record(tests: number): void {
    recordMissing(this.described, this.spec.variable, this.enforced, tests);
  }
}
