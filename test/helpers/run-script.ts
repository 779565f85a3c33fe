import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { runtime } from "#runtime";
import { REPO_ROOT } from "./paths.ts";

/** What a script run printed, and how it ended. */
export interface ScriptRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The command that runs a repository script (a path from the repository's root) on the runtime
 * running the tests: `bun scripts/x.ts`, or `deno run -A scripts/x.ts`.
 */
export function scriptCommand(script: string, args: string[] = []): [string, ...string[]] {
  const path = join(REPO_ROOT, script);
  return runtime.name === "deno" ? [process.execPath, "run", "-A", path, ...args] : [process.execPath, path, ...args];
}

/**
 * Runs a repository script to its end, from the repository's root.
 *
 * @example
 * const run = await runScript("scripts/verify.ts");
 * expect(run.exitCode).toBe(0);
 */
export function runScript(script: string, args: string[] = []): Promise<ScriptRun> {
  const [command, ...rest] = scriptCommand(script, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, rest, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** {@link runScript}, blocking (for `beforeAll` set-ups that must finish first). */
export function runScriptSync(script: string, args: string[] = []): ScriptRun {
  const [command, ...rest] = scriptCommand(script, args);
  const run = spawnSync(command, rest, { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined) throw run.error;
  return { exitCode: run.status, stdout: run.stdout, stderr: run.stderr };
}
