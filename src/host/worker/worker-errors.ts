/** The WASM runtime did not start; every ONNX and transformer model on this host fails. */
export class RuntimeUnavailableError extends Error {
  override readonly name = "RuntimeUnavailableError";
}

/** A model's files are wrong (bad config, missing tokenizer, corrupt graph, …). */
export class ModelFormatError extends Error {
  override readonly name = "ModelFormatError";
}

/** No model instance by that id on this host (never loaded, or already unloaded). */
export class UnknownInstanceError extends Error {
  override readonly name = "UnknownInstanceError";
}

/** A run that the runtime refused (wrong dimensions for the graph, an operator error, …). */
export class RunError extends Error {
  override readonly name = "RunError";
}
