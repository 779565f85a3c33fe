/**
 * Gates for tests that need a Debian tool. Locally a missing tool skips its tests (one summary
 * line at the end of the run); CI installs the tools with apt-get and sets
 * `MODEL_CACHE_REQUIRE_TOOLS=1`, which makes a missing one a failure.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { Requirement } from "./requirement.ts";

/** The Debian tools tests may use (each is the name of its executable and of its package). */
export type DebianTool = "chromium" | "prometheus" | "redis-server" | "wrk";

const PACKAGE: Record<DebianTool, string> = { chromium: "chromium", prometheus: "prometheus", "redis-server": "redis-server", wrk: "wrk" };

/** A tool's gate, with the path of its executable when it is there. */
export interface ToolRequirement extends Requirement {
  /** Absolute path of the executable, or `undefined` when it is missing. */
  readonly path: string | undefined;
}

/** The executable `name` on PATH, or `undefined`. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

const gates = new Map<DebianTool, ToolRequirement>();

/**
 * The gate for tests that need `tool` (one per tool, so its skips add up in one count).
 *
 * @example
 * const wrk = requireTool("wrk");
 * wrk.test("sustains load", async () => { Bun.spawn([wrk.path!, "-d2s", url]); … });
 */
export function requireTool(tool: DebianTool): ToolRequirement {
  let gate = gates.get(tool);
  if (gate === undefined) {
    const path = onPath(tool);
    const requirement = new Requirement({
      name: tool,
      missing: path === undefined ? `not on PATH; apt-get install ${PACKAGE[tool]}` : undefined,
      variable: "MODEL_CACHE_REQUIRE_TOOLS",
    });
    gate = Object.assign(requirement, { path });
    gates.set(tool, gate);
  }
  return gate;
}
