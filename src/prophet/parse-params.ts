/**
 * Reads the fitted parameters of a Prophet export (`params`), for MAP fits (one draw) and MCMC
 * fits (many draws). Draws that disagree in number, or hold non-finite values, are refused:
 * Prophet itself would average over NaNs, but a file like that is broken more often than not.
 */
import type { ProphetParams } from "./prophet-model.ts";
import { ProphetExportError } from "./prophet-error.ts";

/** Parameter names a forecast needs. */
export const REQUIRED_PARAMS = ["k", "m", "delta", "beta", "sigma_obs"] as const;

/**
 * Converts `params` into draws and checks them against the changepoints.
 *
 * @example
 * parseParams({ k: [[1]], m: [[0]], delta: [[0]], beta: [[0]], sigma_obs: [[0.1]] }, 1, 0).draws; // 1
 */
export function parseParams(
  params: Record<string, unknown>,
  changepointCount: number,
  mcmcSamples: number,
): { params: ProphetParams; draws: number } {
  const context = mcmcSamples > 0 ? `MCMC export (mcmc_samples=${mcmcSamples}): ` : "";
  const k = scalarDraws(params.k, "k", context);
  const m = scalarDraws(params.m, "m", context);
  const sigmaObs = scalarDraws(params.sigma_obs, "sigma_obs", context);
  const delta = vectorDraws(params.delta, "delta", context);
  const beta = vectorDraws(params.beta, "beta", context);

  const counts: [string, number][] = [
    ["k", k.length],
    ["m", m.length],
    ["delta", delta.length],
    ["beta", beta.length],
    ["sigma_obs", sigmaObs.length],
  ];
  const draws = k.length;
  if (draws === 0) throw unusable(`${context}params.k holds no draws`, ["params.k"]);
  const odd = counts.filter(([, n]) => n !== draws);
  if (odd.length > 0) {
    const listed = counts.map(([name, n]) => `${name} has ${n}`).join(", ");
    throw unusable(
      `${context}the parameter draws do not line up (${listed}); ` +
        "this loader needs the same number of draws for every parameter",
      odd.map(([name]) => `params.${name}`),
    );
  }
  for (const [i, row] of delta.entries()) {
    if (row.length !== changepointCount) {
      throw unusable(
        `${context}params.delta draw ${i} has ${row.length} values ` +
          `but changepoints_t has ${changepointCount}`,
        ["params.delta", "changepoints_t"],
      );
    }
  }
  const width = beta[0]?.length ?? 0;
  if (beta.some((row) => row.length !== width)) {
    throw unusable(`${context}the draws of params.beta differ in length`, ["params.beta"]);
  }
  return { params: { k, m, delta, beta, sigmaObs }, draws };
}

/** Draws of a scalar parameter: `[[x1], [x2], ...]` (Prophet's shape) or `[x1, x2, ...]`. */
function scalarDraws(value: unknown, name: string, context: string): number[] {
  if (!Array.isArray(value)) throw notArray(name, context);
  return value.map((row) => {
    const x = Array.isArray(row) && row.length === 1 ? row[0] : row;
    if (typeof x !== "number" || !Number.isFinite(x)) throw notFinite(name, context);
    return x;
  });
}

/** Draws of a vector parameter: `[[...], [...]]`, or one flat list for a single draw. */
function vectorDraws(value: unknown, name: string, context: string): number[][] {
  if (!Array.isArray(value)) throw notArray(name, context);
  const rows = value.length > 0 && value.every((v) => !Array.isArray(v)) ? [value] : value;
  return rows.map((row: unknown) => {
    if (!Array.isArray(row)) throw notArray(name, context);
    return row.map((x: unknown) => {
      if (typeof x !== "number" || !Number.isFinite(x)) throw notFinite(name, context);
      return x;
    });
  });
}

function notArray(name: string, context: string): ProphetExportError {
  return unusable(`${context}params.${name} is not a list of draws`, [`params.${name}`]);
}

function notFinite(name: string, context: string): ProphetExportError {
  return unusable(`${context}params.${name} holds a value that is not a finite number`, [
    `params.${name}`,
  ]);
}

function unusable(message: string, fields: string[]): ProphetExportError {
  return new ProphetExportError(`Prophet export unusable: ${message}`, fields);
}
