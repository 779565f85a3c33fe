/**
 * A setting that cannot be used. Thrown while the configuration is parsed, before anything
 * starts; the message names the setting and says what is wrong with it.
 *
 * @example
 * throw new ConfigError("LOAD_CONCURRENCY", `must be a whole number ≥ 1, got "-2"`);
 */
export class ConfigError extends Error {
  constructor(
    /** The setting at fault, e.g. `LOAD_TIMEOUT_MS` or `models.yaml: models.iris.versoin`. */
    readonly setting: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${setting} ${problem}`);
    this.name = "ConfigError";
  }
}
