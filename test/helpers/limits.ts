/**
 * Time limits of the test suite, in one place. They are limits on waits, never expectations of
 * speed: each is sized so that a 2-core machine whose cores are busy with other work stays well
 * inside it, and reaching one means something hung.
 */

// The limit of one test that gives none of its own is 60 s: `bun test --timeout 60000` in
// package.json's `test` script (bunfig.toml has no key for it, and `setDefaultTimeout` only
// covers the file it is called in). Bun's own default, 5 s, is shorter than starting a service
// on a busy machine; hooks that start one give SERVICE_HOOK_LIMIT_MS themselves, so that a file
// run alone (`bun test <file>`) gets it too.

/** Limit of a hook that starts (or stops) a service and loads its models. */
export const SERVICE_HOOK_LIMIT_MS = 120_000;

/** Default limit of a wait on a restart, reload, recycle or state change (`waitFor`). */
export const SLOW_MACHINE_LIMIT_MS = 60_000;
