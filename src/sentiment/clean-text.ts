/** Longest input, in UTF-16 code units, that the lexicon analyser reads by default. */
export const DEFAULT_MAX_CHARS = 20_000;

// C0/C1 control characters (U+0085 NEXT LINE occurs inside the IMDB sentences) and the Unicode
// line/paragraph separators: wink-nlp turns them into empty tokens, so they become plain spaces.
// Tab, LF and CR are left alone because wink-nlp already treats them as whitespace.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/g;
// Invisible characters that would glue themselves onto a word and hide it from the lexicon.
// ZWJ/ZWNJ stay: they hold emoji sequences together.
const INVISIBLE_CHARS = /[\u200B\u2060\uFEFF]/g;

/**
 * Prepares untrusted text for wink-nlp: caps its length, repairs lone surrogates, turns control
 * characters into spaces, drops zero-width characters, and applies NFKC so that full-width or
 * decomposed letters ("ｇｏｏｄ", "e\u0301") reach the lexicon as ordinary words.
 *
 * The cap is applied first (wink-nlp is linear, about 0.2 ms per KB, so a 4 MB body would stall
 * the event loop for most of a second) and is moved back to the last whitespace within 64 code
 * units so that no word or surrogate pair is cut in half.
 *
 * @example
 * cleanText("so\u0085good", 20_000); // { text: "so good", truncated: false }
 */
export function cleanText(text: string, maxChars: number): { text: string; truncated: boolean } {
  let kept = text;
  let truncated = false;
  if (kept.length > maxChars) {
    truncated = true;
    let cut = maxChars;
    const space = kept.slice(Math.max(0, cut - 64), cut + 1).search(/\s\S*$/);
    if (space >= 0) cut = Math.max(0, cut - 64) + space;
    else if (/[\uD800-\uDBFF]/.test(kept.charAt(cut - 1))) cut -= 1;
    kept = kept.slice(0, cut);
  }
  const cleaned = kept
    .toWellFormed()
    .replace(CONTROL_CHARS, " ")
    .replace(INVISIBLE_CHARS, "")
    .normalize("NFKC");
  return { text: cleaned, truncated };
}
