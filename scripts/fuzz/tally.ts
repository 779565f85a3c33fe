/** Counts of outcomes by status, route and category, and the first examples of each failure. */

/** Status label of an outcome: the HTTP status, or "ERR" for a transport error. */
export type StatusLabel = string;

/** Counters keyed by a label, then by status. */
export class Tally {
  readonly byStatus = new Map<StatusLabel, number>();
  readonly byRoute = new Map<string, Map<StatusLabel, number>>();
  readonly byCategory = new Map<string, Map<StatusLabel, number>>();
  sent = 0;

  /** Counts one outcome. */
  count(route: string, category: string, status: StatusLabel): void {
    this.sent++;
    bump(this.byStatus, status);
    bump(nested(this.byRoute, route), status);
    bump(nested(this.byCategory, category), status);
  }

  /** Outcomes whose status starts with 5. */
  get serverErrors(): number {
    let total = 0;
    for (const [status, n] of this.byStatus) if (status.startsWith("5")) total += n;
    return total;
  }
}

/** A count with the first few examples kept. */
export class Examples {
  count = 0;
  readonly first: string[] = [];

  constructor(private readonly keep: number) {}

  /** Counts one, keeping its description if it is among the first. */
  add(description: string): void {
    this.count++;
    if (this.first.length < this.keep) this.first.push(description);
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function nested(map: Map<string, Map<string, number>>, key: string): Map<string, number> {
  let inner = map.get(key);
  if (inner === undefined) map.set(key, (inner = new Map()));
  return inner;
}
