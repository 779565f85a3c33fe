import { ConfigError } from "./config-error.ts";
import { readText, type RawSettings } from "./parse-setting.ts";

/** Browser origins allowed to call the API from other sites: a list, or `"*"` for any. */
export type CorsOrigins = readonly string[] | "*";

/**
 * Reads `CORS_ORIGINS`: unset or blank turns CORS off (`undefined`); `*` allows any origin;
 * otherwise a comma-separated list of origins exactly as browsers send them in `Origin`
 * (`https://app.example.com`, `http://localhost:5173`): scheme, host and a port only when it is
 * not the scheme's default, no path and no trailing slash. A value that no browser would send
 * stops the start, so that a typo does not silently block every cross-origin call.
 *
 * @example
 * readCorsOrigins({ CORS_ORIGINS: "https://a.example, http://localhost:5173" }); // ["https://a.example", "http://localhost:5173"]
 */
export function readCorsOrigins(env: RawSettings, key = "CORS_ORIGINS"): CorsOrigins | undefined {
  const text = readText(env, key);
  if (text === undefined) return undefined;
  if (text === "*") return "*";
  const origins = text
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  if (origins.length === 0) return undefined;
  for (const origin of origins) {
    if (origin === "*") throw new ConfigError(key, 'takes "*" alone or a list of origins, not both');
    const canonical = canonicalOrigin(origin);
    if (canonical === undefined) {
      throw new ConfigError(key, `holds "${origin}", which is not an origin such as https://app.example.com or http://localhost:5173`);
    }
    if (canonical !== origin) throw new ConfigError(key, `holds "${origin}"; browsers send it as "${canonical}"`);
  }
  return [...new Set(origins)];
}

/** The origin as a browser serialises it, or undefined when `text` is not an http(s) origin. */
function canonicalOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "" || url.pathname !== "/") return undefined;
  return url.origin;
}
