// Types for the npm `sentiment` package (5.0.2), which ships none; only what this project uses.
declare module "sentiment" {
  namespace Sentiment {
    interface AnalysisResult {
      /** Sum of the AFINN valences (-5..5 each) of the words found. */
      score: number;
      /** `score` divided by the number of tokens. */
      comparative: number;
      calculation: Array<Record<string, number>>;
      tokens: string[];
      words: string[];
      positive: string[];
      negative: string[];
    }
    interface AnalysisOptions {
      extras?: Record<string, number>;
      language?: string;
    }
  }
  class Sentiment {
    constructor(options?: object);
    analyze(phrase: string, options?: Sentiment.AnalysisOptions): Sentiment.AnalysisResult;
  }
  export = Sentiment;
}
