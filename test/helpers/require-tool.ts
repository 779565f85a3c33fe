import { accessSync, constants } from "node:fs";

/**
 * Whether a tool a test needs (a Debian package such as chromium) is installed. When it is
 * not, prints one line saying what is skipped and how to install the tool, and returns false;
 * with `MODEL_CACHE_REQUIRE_TOOLS=1` (set by .ci/run, which installs the tools) it throws
 * instead, so that CI never passes by skipping.
 *
 * @example
 * const hasChromium = requireTool("/usr/bin/chromium", { skipped: "the Swagger UI browser test", install: "apt-get install -y chromium" });
 * describe.skipIf(!hasChromium)("Swagger UI in Chromium", () => { ... });
 */
export function requireTool(executable: string, { skipped, install }: { skipped: string; install: string }): boolean {
  try {
    accessSync(executable, constants.X_OK);
    return true;
  } catch {
    const message = `${executable} is not installed: ${skipped} is skipped (install it with \`${install}\`)`;
    if (process.env.MODEL_CACHE_REQUIRE_TOOLS === "1") throw new Error(`${message}; MODEL_CACHE_REQUIRE_TOOLS=1 makes this a failure`);
    console.log(`[skip] ${message}`);
    return false;
  }
}
