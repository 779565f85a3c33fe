/**
 * Starts model-cache: parses the configuration once, listens, loads every model in the
 * background, and stops gracefully on SIGTERM/SIGINT (exit 0). A configuration that cannot be
 * used stops the start with a message naming the setting (exit 2).
 */
import { parseConfig } from "./config/config.ts";
import { ConfigError } from "./config/config-error.ts";
import { prestartNativeHost } from "./host/native/native-prestart.ts";
import type { ModelService } from "./service/model-service.ts";

async function main(): Promise<void> {
  let service: ModelService;
  try {
    const config = parseConfig();
    // The native host starts first; its imports done, the service's own load beside its sessions (see native-prestart).
    await prestartNativeHost(config);
    const { ModelService } = await import("./service/model-service.ts");
    service = await ModelService.create(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) {
      service.log.warn(`Second ${signal}: exiting now`);
      process.exit(1);
    }
    service.log.info(`Received ${signal}`);
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        service.log.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  await service.start();
}

await main();
