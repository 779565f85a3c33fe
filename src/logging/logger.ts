import type { LogFormat, LogLevel } from "../config/config.ts";

/** Key/value context attached to a log line. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Writes one finished log line. */
export type LogSink = (line: string, level: Exclude<LogLevel, "silent">) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Default sink: warnings and errors to stderr, the rest to stdout. */
const consoleSink: LogSink = (line, level) => {
  if (level === "warn" || level === "error") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
};

/**
 * A small levelled logger. In `text` format a line starts with the message itself (so
 * `Failed to load …` lines are easy to grep) followed by `key=value` fields; in `json` format a
 * line is one JSON object with `time`, `level` and `msg`. Secrets never reach it: callers pass
 * names and counts, not tokens.
 *
 * @example
 * const log = new Logger({ level: "info", format: "text" });
 * log.error(`Failed to load model "iris": bad magic`, { model: "iris" });
 */
export class Logger {
  private readonly minRank: number;
  private readonly format: LogFormat;
  private readonly sink: LogSink;
  private readonly base: LogFields;

  constructor(options: { level: LogLevel; format?: LogFormat; sink?: LogSink; fields?: LogFields }) {
    this.minRank = RANK[options.level];
    this.format = options.format ?? "text";
    this.sink = options.sink ?? consoleSink;
    this.base = options.fields ?? {};
  }

  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger {
    const child = Object.create(Logger.prototype) as Logger;
    Object.assign(child, this, { base: { ...this.base, ...fields } });
    return child;
  }

  /** Whether lines of `level` are written (to skip building one that would not be). */
  enabled(level: Exclude<LogLevel, "silent">): boolean {
    return RANK[level] >= this.minRank;
  }

  debug(message: string, fields?: LogFields): void {
    this.write("debug", message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write("info", message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write("warn", message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write("error", message, fields);
  }

  private write(level: Exclude<LogLevel, "silent">, message: string, fields?: LogFields): void {
    if (RANK[level] < this.minRank) return;
    const all = { ...this.base, ...fields };
    this.sink(this.format === "json" ? jsonLine(level, message, all) : textLine(level, message, all), level);
  }
}

function textLine(level: string, message: string, fields: LogFields): string {
  const parts = [message];
  if (level !== "info") parts.push(`level=${level}`);
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    parts.push(`${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.join(" ");
}

function jsonLine(level: string, message: string, fields: LogFields): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
}

/** A logger that drops everything (tests, embedding). */
export const silentLogger = new Logger({ level: "silent" });
