import { afinnBackend } from "./afinn-backend.ts";
import type { Backend } from "./backend.ts";
import { lexiconBackend } from "./lexicon-backend.ts";
import { transformerBackend } from "./transformer-backend.ts";
import { vaderBackend } from "./vader-backend.ts";
import { winkPlainBackend } from "./wink-plain-backend.ts";

/**
 * Every backend the evaluation runs, in table order. Add new ones here.
 *
 * @example
 * for (const backend of createBackends()) console.log(backend.name);
 */
export function createBackends(): Backend[] {
  return [
    transformerBackend("sentiment-bert"),
    transformerBackend("sentiment-distilbert"),
    lexiconBackend(),
    winkPlainBackend(),
    afinnBackend(),
    vaderBackend(),
  ];
}
