/**
 * The pandas `to_json` shapes Prophet's model_to_json embeds as strings: a Series with
 * orient="split" and a DataFrame with orient="table", index=False. pandas writes floats
 * rounded to 10 decimals (double_precision=10) and keeps a trailing ".0".
 */

/** A float cell; plain numbers are written as integers. */
export class PdFloat {
  constructor(readonly value: number) {}
}

/** Cell values of the frames Prophet stores. */
export type PdCell = string | number | PdFloat;

/** A column of a table-orient frame: its JSON Table Schema type and cells. */
export interface PdColumn {
  name: string;
  type: "datetime" | "number" | "integer" | "string";
  values: PdCell[];
}

/**
 * pandas' ujson double formatting at precision 10: the fraction is rounded by the same
 * double arithmetic as the C encoder ((value - whole) * 1e10, ties to even), then trailing
 * zeros are dropped.
 */
export function pandasDouble(value: number, precision = 10): string {
  if (!Number.isFinite(value)) return "null";
  if (Math.abs(value) >= 1e16 - 1) throw new Error("exponent form not needed for these exports");
  const neg = value < 0;
  const abs = Math.abs(value);
  const pow10 = 10 ** precision;
  let whole = Math.trunc(abs);
  const tmp = (abs - whole) * pow10;
  let frac = Math.trunc(tmp);
  const diff = tmp - frac;
  if (diff > 0.5 || (diff === 0.5 && frac % 2 === 1)) {
    frac++;
    if (frac >= pow10) {
      frac = 0;
      whole++;
    }
  }
  const fracText = frac === 0 ? "0" : String(frac).padStart(precision, "0").replace(/0+$/, "");
  const text = `${whole}.${fracText}`;
  return neg && text !== "0.0" ? `-${text}` : text;
}

function cell(v: PdCell): string {
  if (v instanceof PdFloat) return pandasDouble(v.value);
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`non-integer ${v} must be a PdFloat`);
    return String(v);
  }
  return JSON.stringify(v);
}

/** Series.to_json(orient="split"): {"name":..,"index":[..],"data":[..]}. */
export function seriesSplitJson(name: string, index: number[], data: PdCell[]): string {
  return `{"name":${JSON.stringify(name)},"index":[${index.join(",")}],"data":[${data.map(cell).join(",")}]}`;
}

/** DataFrame.to_json(orient="table", index=False) with pandas' table-schema version "1.4.0". */
export function frameTableJson(columns: PdColumn[]): string {
  const fields = columns.map((c) => `{"name":${JSON.stringify(c.name)},"type":"${c.type}"}`).join(",");
  const rows = (columns[0]?.values ?? []).map(
    (_, i) => `{${columns.map((c) => `${JSON.stringify(c.name)}:${cell(c.values[i] as PdCell)}`).join(",")}}`,
  );
  return `{"schema":{"fields":[${fields}],"pandas_version":"1.4.0"},"data":[${rows.join(",")}]}`;
}

/** A UTC timestamp as pandas writes naive datetimes: "2022-01-01T00:00:00.000". */
export function pandasIsoDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace("Z", "");
}
