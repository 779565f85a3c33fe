import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * Reads a script's command-line options with `node:util`'s parseArgs; `--help` prints the usage
 * and exits 0, an unknown or malformed option prints the problem and the usage and exits 2.
 *
 * @example
 * const { out } = cliOptions("usage: bun scripts/x.ts [--out DIR]", { out: { type: "string" } });
 */
export function cliOptions<const O extends NonNullable<ParseArgsConfig["options"]>>(usage: string, options: O) {
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { ...options, help: { type: "boolean", short: "h" } }, strict: true });
    if ((values as { help?: boolean }).help === true) {
      console.log(usage);
      process.exit(0);
    }
    return values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
}
