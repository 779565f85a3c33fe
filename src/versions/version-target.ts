/** One version of one model, as a request reaches it (the router's choice). */
export interface VersionTarget {
  /** Id of the cache record (`iris@2`, or the plain name of a model with one version). */
  id: string;
  /** The model's name, as answers report it. */
  model: string;
  version: string;
}
