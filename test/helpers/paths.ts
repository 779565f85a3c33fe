import { join } from "node:path";

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, "../..");

/** The demo models the repository ships (made by scripts/build-demo-models.ts). */
export const DEMO_MODELS = join(REPO_ROOT, "models");

/** The folder beside the clone that holds third-party fixtures and specifications (`SHARED_DIR`). */
export const SHARED_DIR = process.env.SHARED_DIR ?? join(REPO_ROOT, "../shared");

/**
 * Real models and data made by other projects (read-only; copy what a test needs). Not part of
 * the repository: tests that read them go through `sharedFixtures` (require-fixtures.ts).
 */
export const SHARED_FIXTURES = process.env.SHARED_FIXTURES_DIR ?? join(SHARED_DIR, "fixtures");

/** The Open Inference Protocol's OpenAPI document, as copied from kserve (in ../shared/specs). */
export const OIP_SPEC = join(SHARED_DIR, "specs/open_inference_rest.yaml");
