/**
 * Fixed word lists for the demo sentiment models. Negators and degree adverbs follow VADER's
 * lists (Hutto & Gilbert 2014, MIT), reduced to what survives BERT pre-tokenisation: the
 * tokenizer splits "don't" into "don", "'", "t", so the contraction is caught by the "t".
 */

/** Tokens that negate the sentiment words shortly after them. */
export const NEGATORS = [
  "not", "never", "none", "nope", "nor", "nothing", "nowhere", "neither", "without", "cannot", "t",
  "rarely", "seldom", "despite", "aint", "arent", "cant", "couldnt", "darent", "didnt", "doesnt", "dont",
  "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neednt", "oughtnt", "shant", "shouldnt",
  "uhuh", "wasnt", "werent", "wont", "wouldnt",
] as const;

/** Degree adverbs that strengthen the next sentiment word (VADER's B_INCR list). */
export const BOOSTERS_UP = [
  "absolutely", "amazingly", "awfully", "completely", "considerably", "decidedly", "deeply", "effing",
  "enormously", "entirely", "especially", "exceptionally", "extremely", "fabulously", "flipping", "flippin",
  "fricking", "frickin", "frigging", "friggin", "fully", "fucking", "greatly", "hella", "highly", "hugely",
  "incredibly", "intensely", "majorly", "more", "most", "particularly", "purely", "quite", "really",
  "remarkably", "so", "substantially", "thoroughly", "totally", "tremendously", "uber", "unbelievably",
  "unusually", "utterly", "very",
] as const;

/** Degree adverbs that weaken the next sentiment word (VADER's B_DECR list, one-word entries). */
export const BOOSTERS_DOWN = [
  "almost", "barely", "hardly", "kinda", "kindof", "less", "little", "marginally", "occasionally", "partly",
  "scarcely", "slightly", "somewhat", "sorta", "sortof",
] as const;

/** Words that lose their own sentiment when followed by "of" ("kind of", "sort of"). */
export const HEDGE_HEADS = ["kind", "sort"] as const;

/** The contrastive conjunction VADER re-weights around. */
export const CONTRAST = "but";

/** Punctuation marks that become single tokens (BertPreTokenizer splits every one). */
export const PUNCTUATION = [
  "!", '"', "#", "$", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/", ":", ";", "<", "=", ">", "?", "@",
  "[", "\\", "]", "^", "_", "`", "{", "|", "}", "~", "‘", "’", "“", "”", "–", "—", "…",
] as const;

/** Inflection suffixes offered as WordPiece continuations; none changes a word's polarity. */
export const SUFFIXES = ["##s", "##es", "##ed", "##d", "##ing", "##ly", "##er", "##ers", "##est", "##ness"] as const;

/**
 * Frequent neutral English words, so ordinary text tokenizes into words rather than [UNK].
 * They carry no sentiment; a hand-written list (no corpus was used to pick it).
 */
export const COMMON_WORDS = `
a about above after again against all also am an and any are as at be because been before being below
between both by can could did do does doing don down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me my myself now of off on
once only or other our ours ourselves out over own same she should some such than that the their theirs
them themselves then there these they this those through to too under until up was we were what when where
which while who whom why will with would you your yours yourself yourselves isn wasn didn doesn couldn
shouldn wouldn aren weren hasn haven hadn won ain s ll ve re d m n
one two three four five six seven eight nine ten first second third last next many much every another
day days week weeks month months year years time times today yesterday tomorrow night morning evening hour
hours minute minutes
man men woman women people person child children family friend friends guy guys someone something
anything everything everyone nobody
thing things way ways place places part parts kind sort lot lots bit side end point case fact reason
home house room car phone phones battery screen product products item items order price money dollars
service food meal restaurant place staff waiter waitress menu movie movies film films story plot actor
actors acting scene scenes character characters director music book show series episode
make made get got go went gone come came take took give gave see saw seen know knew think thought say said
tell told use used find found want try tried call called look looked seem seemed feel felt leave left
put keep kept let begin began show showed hear heard play played run ran move live believe bring happen
write wrote sit stand lose pay meet include continue set learn change lead understand watch watched
follow stop create speak read spend grow open walk offer remember consider appear buy bought wait serve
served send expect build stay fall reach remain suggest raise pass sell require report decide pull
new old big small large long short high low early late young other same different next last own right
left whole real sure able back still even ever yet already again always often sometimes usually never
maybe perhaps probably actually almost enough instead however although though since unless whether
`
  .split(/\s+/)
  .filter((w) => w !== "");
