import { AppError } from "../errors/app-error.ts";

/**
 * A Prophet export that cannot become a forecaster: unreadable JSON, missing or malformed fields,
 * an unknown growth, MCMC draws it cannot use, or features that need Python (country holidays).
 * The registry shows the model as `failed` with this message, so the message names the fields;
 * it never quotes the file's content beyond short field names.
 *
 * @example
 * throw new ProphetExportError("Prophet export is missing required fields: y_scale, params.beta", [
 *   "y_scale",
 *   "params.beta",
 * ]);
 */
export class ProphetExportError extends AppError {
  constructor(
    message: string,
    /** The fields that are missing or unusable, for callers that list them. */
    readonly fields: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    // 422: the file is JSON, but its content is not a usable Prophet model.
    super(422, "prophet_export_unusable", message, options);
  }
}
