import { join } from "node:path";

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, "../..");

/** The demo models the repository ships (made by scripts/build-demo-models.ts). */
export const DEMO_MODELS = join(REPO_ROOT, "models");

/** Real models made by other projects (read-only; copy what a test needs). */
export const SHARED_FIXTURES = process.env.SHARED_FIXTURES_DIR ?? join(REPO_ROOT, "../shared/fixtures");
