import { NotFoundError } from "../errors/app-error.ts";
import { shownName } from "../errors/model-not-found.ts";
import type { GroupSpec } from "../versions/model-group.ts";

/**
 * 404 for a version a model does not serve: one it never had, or one its version policy
 * leaves out. The message lists the versions it serves.
 *
 * @example
 * throw versionNotFound(group, "9"); // Model "iris" has no version "9" (it serves 1, 2)
 */
export function versionNotFound(group: Pick<GroupSpec, "name" | "versions" | "unserved">, version: string): NotFoundError {
  const served = group.versions.map((candidate) => candidate.version).join(", ");
  const message = group.unserved.includes(version)
    ? `Model ${shownName(group.name)} does not serve version ${shownName(version)}: its version_policy leaves it out (it serves ${served})`
    : `Model ${shownName(group.name)} has no version ${shownName(version)} (it serves ${served})`;
  return new NotFoundError(message, "version_not_found");
}
