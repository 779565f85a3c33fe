// Types for the npm `vader-sentiment` package (1.1.3), which ships none; only what this project uses.
declare module "vader-sentiment" {
  interface PolarityScores {
    neg: number;
    neu: number;
    pos: number;
    /** Normalised, weighted composite score in [-1, 1]. */
    compound: number;
  }
  const vader: {
    SentimentIntensityAnalyzer: { polarity_scores(text: string): PolarityScores };
  };
  export default vader;
}
