/**
 * `bun scripts/eval-sentiment.ts [--json] [--data-dir DIR] [--repeat N]`
 *
 * Scores every sentiment backend (scripts/eval-sentiment/backends.ts) on the labelled sentences in
 * ../shared/fixtures/sentiment (or `SENTIMENT_DATA_DIR` / `--data-dir`), all in this one process,
 * and prints a Markdown table (or, with `--json`, machine-readable results). Backends that cannot
 * run here are skipped with a note. Exit code 1 if a backend failed or the data cannot be read, 2 on a bad argument.
 */
import { cpus } from "node:os";
import { createBackends } from "./eval-sentiment/backends.ts";
import { loadSets, resolveDataDir } from "./eval-sentiment/datasets.ts";
import { evaluateBackend, type BackendResult } from "./eval-sentiment/evaluate-backend.ts";
import { jsonReport, markdownReport } from "./eval-sentiment/report.ts";

const USAGE = `usage: bun scripts/eval-sentiment.ts [--json] [--data-dir DIR] [--repeat N]
  --json          print machine-readable results instead of the Markdown table
  --data-dir DIR  folder with the four sets (default: $SENTIMENT_DATA_DIR, else
                  ../shared/fixtures/sentiment next to the repository)
  --repeat N      timed passes per backend for the throughput, median reported (default 3)`;

interface Args {
  json: boolean;
  repeat: number;
  dataDir: string;
}

function parseArgs(argv: string[]): Args | "help" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  const known = /^--(json|data-dir(=.*)?|repeat(=.*)?)$/;
  argv.forEach((a, i) => {
    const isValue = i > 0 && (argv[i - 1] === "--data-dir" || argv[i - 1] === "--repeat");
    if (!isValue && !known.test(a)) throw new Error(`unknown argument "${a}"`);
  });
  const at = argv.indexOf("--repeat");
  const raw = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith("--repeat="))?.slice(9);
  const repeat = raw === undefined ? 3 : Number(raw);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error("--repeat needs a positive integer");
  return { json: argv.includes("--json"), repeat, dataDir: resolveDataDir(argv, process.env) };
}

async function main(): Promise<number> {
  let args: Args | "help";
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`eval-sentiment: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args === "help") {
    console.log(USAGE);
    return 0;
  }
  const sets = await loadSets(args.dataDir);
  const results: BackendResult[] = [];
  for (const backend of createBackends()) {
    // Progress goes to stderr so that stdout stays a clean table or JSON document.
    console.error(`… ${backend.name}`);
    results.push(await evaluateBackend(backend, sets, args.repeat));
  }
  const meta = {
    date: new Date().toISOString(),
    command: `bun scripts/eval-sentiment.ts ${process.argv.slice(2).join(" ")}`.trim(),
    runtime: `bun ${Bun.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs`,
    repeats: args.repeat,
  };
  if (args.json) {
    console.log(JSON.stringify(jsonReport(results, sets, meta), null, 2));
  } else {
    console.log(`Sentiment evaluation, ${meta.date} (${meta.runtime})`);
    console.log("Accuracy: NEUTRAL answers count as wrong; sentences/s: median of " +
      `${args.repeat} timed passes after an untimed one.\n`);
    console.log(markdownReport(results, sets));
  }
  return results.some((r) => r.status === "failed") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`eval-sentiment: ${(error as Error).message}`);
    process.exit(1);
  },
);
