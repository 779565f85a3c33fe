/**
 * Regular English inflections of lexicon words ("disappoint" → "disappoints",
 * "disappointed", "disappointing"), so a lexicon of base forms also covers the forms people
 * write. Only -s, -ed and -ing: they keep the word's polarity, unlike -less or -ly ("like" →
 * "likely").
 */

const VOWELS = "aeiou";

/** Endings of words that are already inflected, adverbs or adjectives: no -s/-ed/-ing forms. */
const UNINFLECTED = /(ed|ing|ly|ous|ful|less|ive|able|ible|ic|ical|est|ness|ish)$/;

function isVowel(c: string | undefined): boolean {
  return c !== undefined && VOWELS.includes(c);
}

/** Regular -s, -ed and -ing forms of a word (spelling rules, no dictionary). */
export function inflections(word: string): string[] {
  if (word.length < 3 || UNINFLECTED.test(word) || !/[aeiouy]/.test(word)) return [];
  const last = word.at(-1);
  const prev = word.at(-2);
  const out: string[] = [];
  if (/(s|x|z|ch|sh)$/.test(word)) out.push(`${word}es`);
  else if (last === "y" && !isVowel(prev)) out.push(`${word.slice(0, -1)}ies`);
  else out.push(`${word}s`);

  if (last === "e") out.push(`${word}d`);
  else if (last === "y" && !isVowel(prev)) out.push(`${word.slice(0, -1)}ied`);
  else out.push(`${word}ed`);

  if (last === "e" && prev !== "e") out.push(`${word.slice(0, -1)}ing`);
  else out.push(`${word}ing`);

  // Short consonant-vowel-consonant words double the consonant: "stab" → "stabbed".
  if (word.length <= 5 && last && !isVowel(last) && isVowel(prev) && !isVowel(word.at(-3)) && !"wxy".includes(last)) {
    out.push(`${word}${last}ed`, `${word}${last}ing`);
  }
  return out;
}

/**
 * The lexicon plus inflected forms it lacks. A form reachable from several words gets the
 * mean of their valences; words are visited in sorted order so the result never depends on
 * Map insertion order.
 */
export function withInflections(entries: ReadonlyMap<string, number>): Map<string, number> {
  const derived = new Map<string, number[]>();
  for (const word of [...entries.keys()].sort()) {
    for (const form of inflections(word)) {
      if (entries.has(form)) continue;
      const list = derived.get(form) ?? [];
      list.push(entries.get(word) as number);
      derived.set(form, list);
    }
  }
  const out = new Map(entries);
  for (const form of [...derived.keys()].sort()) {
    const values = derived.get(form) as number[];
    out.set(form, values.reduce((a, b) => a + b, 0) / values.length);
  }
  return out;
}
