import { NotFoundError } from "./app-error.ts";

const MAX_SHOWN = 128;

/**
 * A model name as messages show it: names come from request paths (up to 16 KB), so a long one
 * is cut, and it is JSON-quoted so that control characters stay visible.
 *
 * @example
 * shownName("iris"); // '"iris"'
 */
export function shownName(name: string): string {
  return JSON.stringify(name.length > MAX_SHOWN ? `${name.slice(0, MAX_SHOWN)}…` : name);
}

/**
 * 404 for a model that is not registered.
 *
 * @example
 * throw modelNotFound("ghost"); // Model "ghost" not found
 */
export function modelNotFound(name: string): NotFoundError {
  return new NotFoundError(`Model ${shownName(name)} not found`, "model_not_found");
}
