/** The fuzz report as text: counts by status, by route and by category, failures, final checks. */
import type { FuzzResult } from "./runner.ts";

/**
 * Formats a run's result.
 *
 * @example
 * console.log(formatReport(result));
 */
export function formatReport(result: FuzzResult): string {
  const { tally } = result;
  const seconds = result.durationMs / 1000;
  const lines: string[] = [];
  lines.push(
    `Fuzz: seed ${result.seed}, ${result.planned} requests planned, ${tally.sent} sent (with the loads that end unload episodes) ` +
      `in ${seconds.toFixed(1)} s — ${(tally.sent / seconds).toFixed(0)} requests/s`,
  );
  lines.push("", "By status:");
  const statuses = [...tally.byStatus.keys()].sort();
  for (const status of statuses) lines.push(`  ${status.padEnd(4)} ${String(tally.byStatus.get(status)).padStart(7)}`);
  lines.push("", "By route:", table(tally.byRoute, statuses));
  lines.push("", "By kind of request:", table(tally.byCategory, statuses));
  lines.push("", `Unload-then-load episodes: ${result.episodes}`);
  lines.push(`Slowest: ${result.slowest.map((slow) => `${slow.ms.toFixed(0)} ms ${slow.description.slice(0, 100)}`).join("\n         ")}`);
  lines.push("", `5xx answers: ${result.serverErrors.count}`, ...result.serverErrors.first.map((line) => `  ${line}`));
  lines.push(`Bad error bodies or leaks: ${result.problems.count}`, ...result.problems.first.map((line) => `  ${line}`));
  lines.push(
    `Warnings (not failures) — loads that failed because a host restart overlapped them, or had to be tried again: ${result.failedLoads.count}`,
    ...result.failedLoads.first.map((line) => `  ${line}`),
  );
  lines.push(`Transport errors and hangs: ${result.transportErrors.count}`, ...result.transportErrors.first.map((line) => `  ${line}`));
  lines.push(
    `Routes: ${result.routes.total} fuzzed` +
      (result.routes.notHit.length > 0 ? `; never hit: ${result.routes.notHit.join(", ")}` : "; every route hit") +
      (result.routes.notInTable.length > 0 ? `; in /openapi.json but not in the route table (fuzzed with generic requests): ${result.routes.notInTable.join(", ")}` : "") +
      (result.routes.notServed.length > 0 ? `; in the table but not in /openapi.json: ${result.routes.notServed.join(", ")}` : ""),
  );
  lines.push(`Process alive: ${yes(result.alive)}; /v2/health/live answers: ${yes(result.live)}`);
  lines.push(
    "Models loaded at the start:",
    ...result.models.map((model) => `  ${model.ok ? "ok  " : "FAIL"} ${model.name}: ${model.state}${model.answer === undefined ? "" : `, valid request → ${model.answer}`}`),
  );
  lines.push("", result.passed ? "PASS: zero 5xx, every answer well-formed, service alive, every model still loaded" : "FAIL");
  return lines.join("\n");
}

function table(rows: Map<string, Map<string, number>>, statuses: string[]): string {
  const keys = [...rows.keys()].sort();
  const width = Math.max(...keys.map((key) => key.length), 5);
  const header = `  ${"".padEnd(width)} ${"total".padStart(6)} ${statuses.map((status) => status.padStart(5)).join(" ")}`;
  const body = keys.map((key) => {
    const counts = rows.get(key)!;
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    return `  ${key.padEnd(width)} ${String(total).padStart(6)} ${statuses.map((status) => String(counts.get(status) ?? "·").padStart(5)).join(" ")}`;
  });
  return [header, ...body].join("\n");
}

function yes(value: boolean): string {
  return value ? "yes" : "NO";
}
