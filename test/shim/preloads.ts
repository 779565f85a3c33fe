/**
 * bun test's preload scripts (`preload` in bunfig.toml's [test] section), imported by the
 * bun:test shim so that Deno runs the same set-up before each test file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const REPO_ROOT = join(import.meta.dirname, "../..");

/** The preload scripts' URLs, in bunfig.toml's order. */
export function testPreloads(): string[] {
  const toml = readFileSync(join(REPO_ROOT, "bunfig.toml"), "utf8");
  const section = /^\[test\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  const list = /^preload\s*=\s*\[([^\]]*)\]/m.exec(section)?.[1] ?? "";
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => pathToFileURL(join(REPO_ROOT, match[1]!)).href);
}

for (const url of testPreloads()) await import(url);
