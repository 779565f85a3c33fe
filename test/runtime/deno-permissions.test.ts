/**
 * Deno refuses to read an environment variable its --allow-env list does not name, and the
 * service then stops at start: scripts/deno/start.sh must name every setting the configuration
 * reads. A setting added without it fails here, on either runtime.
 */
import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseConfig } from "../../src/config/config.ts";
import { REPO_ROOT } from "../helpers/paths.ts";

/** The names of the start script's `env="…"` lines (the indented ones are for ALLOW_REMOTE_MODELS only). */
async function allowedEnv(): Promise<Set<string>> {
  const script = await readFile(join(REPO_ROOT, "scripts/deno/start.sh"), "utf8");
  const names = [...script.matchAll(/^env="(?:\$env,)?([A-Z0-9_,]+)"$/gm)].flatMap((match) => match[1]!.split(","));
  return new Set(names);
}

/** Every key parseConfig reads, recorded by an environment that has none set. */
function settingsRead(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_, key) => {
      if (typeof key === "string") read.add(key);
      return undefined;
    },
  });
  parseConfig(env, "/srv");
  return [...read].sort();
}

describe("the permissions of npm run start:deno", () => {
  test("--allow-env names every setting the configuration reads", async () => {
    const allowed = await allowedEnv();
    const read = settingsRead();
    expect(read).toContain("PORT");
    expect(read.filter((name) => !allowed.has(name))).toEqual([]);
  });

  test("--allow-env names what the libraries read, and no setting that does not exist", async () => {
    const libraries = ["NODE_ENV", "ENV", "ELYSIA_AOT", "ORT_DISABLE_TELEMETRY", "LOG_TOKENS", "LOG_STREAM"];
    const known = new Set([...settingsRead(), ...libraries]);
    expect([...(await allowedEnv())].filter((name) => !known.has(name))).toEqual([]);
  });
});
