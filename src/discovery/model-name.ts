/**
 * Model names are path segments chosen by whoever fills the models folder; requests may only
 * name them. Anything else (`..`, slashes, NUL, very long names) is refused before any path is
 * built.
 */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** True when `name` can be a model name. */
export function isValidModelName(name: string): boolean {
  return MODEL_NAME_PATTERN.test(name) && !name.includes("..");
}
