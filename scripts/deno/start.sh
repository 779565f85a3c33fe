#!/bin/sh
# Starts model-cache on Deno with the narrowest permissions it needs (`npm run start:deno`,
# `deno task start`). README "Running on Deno" says why each one is needed. Settings come from
# the environment, as on Bun; HOST, PORT, MODELS_DIR, MODEL_CACHE_DIR and ALLOW_REMOTE_MODELS
# also shape the permissions. Extra `deno run` flags may follow, e.g. `-- --v8-flags=...`.
set -eu
cd "$(dirname "$0")/../.."

host="${HOST:-0.0.0.0}"
port="${PORT:-3000}"
models="${MODELS_DIR:-./models}"

# Every setting src/config/config.ts reads, then those the libraries read: Elysia (NODE_ENV,
# ENV, ELYSIA_AOT), yaml (LOG_TOKENS, LOG_STREAM) and transformers.js (it sets
# ORT_DISABLE_TELEMETRY). Reading any other name fails. test/runtime/deno-permissions.test.ts
# keeps this list in step with the configuration.
env="PORT,HOST,MODELS_DIR,MODEL_CACHE_DIR,MODEL_VERSION,PRELOAD,LOAD_CONCURRENCY,LOAD_TIMEOUT_MS"
env="$env,LOAD_RETRIES,LOAD_RETRY_DELAY_MS,ADMIN_TOKEN,INFERENCE_TOKEN,LOG_LEVEL,LOG_FORMAT"
env="$env,MAX_BODY_BYTES,MAX_BATCH,MAX_TEXT_LENGTH,INFERENCE_TIMEOUT_MS,SHUTDOWN_GRACE_MS"
env="$env,SENTIMENT_MODEL,ALLOW_REMOTE_MODELS,WASM_THREADS,MODEL_HOSTS,MAX_FORECAST_PERIODS"
env="$env,HOST_MEMORY_LIMIT_MB,CORS_ORIGINS,METRICS,METRICS_TOKEN,MODEL_MEMORY_BUDGET_MB"
env="$env,WATCH_MODELS,WATCH_MODE,WATCH_POLL_MS,WATCH_SETTLE_MS,SHADOW_MAX_IN_FLIGHT"
env="$env,ONNX_BACKEND,NATIVE_THREADS,NATIVE_MIN_MB,BATCH_MAX_DELAY_MS,BATCH_MAX_RUN_MS"
env="$env,CLUSTER_REDIS_URL,CLUSTER_NAME,CLUSTER_REPLICA_ID,CLUSTER_ADVERTISE_URL,CLUSTER_HEARTBEAT_MS"
env="$env,CLUSTER_EXPIRY_MS,CLUSTER_ADMIN_TIMEOUT_MS,CLUSTER_MISS,CLUSTER_SCALE_UP_RPM,CLUSTER_SCALE_DOWN_MS"
env="$env,NODE_ENV,ENV,ELYSIA_AOT,ORT_DISABLE_TELEMETRY,LOG_TOKENS,LOG_STREAM"

# The models, the worker's modules (a worker's module graph is read like files), the WASM
# runtime, the Swagger UI assets served at /swagger/assets, the OpenAPI document, and the
# onnxruntime-node stand-in that transformers.js requires (a link out of node_modules).
ort=node_modules/onnxruntime-web/dist
ui=node_modules/swagger-ui-dist
read="$models,src,$ort/ort-wasm-simd-threaded.wasm,$ort/ort-wasm-simd-threaded.mjs"
read="$read,$ui/swagger-ui-bundle.js,$ui/swagger-ui.css,$ui/favicon-32x32.png,$ui/favicon-16x16.png,openapi.yaml"
read="$read,stubs/onnxruntime-node/index.cjs"

net="$host:$port"
write=""
case "${ALLOW_REMOTE_MODELS:-false}" in
  true | 1 | yes | on)
    # Downloads from the Hugging Face Hub land in the cache folder.
    cache="${MODEL_CACHE_DIR:-$models/cache}"
    net="$net,huggingface.co,*.huggingface.co,*.hf.co"
    read="$read,$cache"
    write="--allow-write=$cache"
    env="$env,HF_TOKEN,HF_ACCESS_TOKEN,TESTING_REMOTELY"
    ;;
esac

# Cluster mode (CLUSTER_REDIS_URL) reaches Redis and the other replicas, whose addresses are only
# known at run time (pod IPs): any host. Its Redis client (ioredis, through its `debug`
# dependency) lists the whole environment as it loads, and a replica's default id is the host
# name. A replica on its own keeps the narrow lists above.
netflag="--allow-net=$net"
envflag="--allow-env=$env"
sys=uid
if [ -n "${CLUSTER_REDIS_URL:-}" ]; then
  netflag="--allow-net"
  envflag="--allow-env"
  sys=uid,hostname
fi

deno=node_modules/.bin/deno
[ -x "$deno" ] || deno=deno
export DENO_NO_UPDATE_CHECK=1
# `uid`: Deno's node:fs `access()` reads the user id to check permission bits.
exec "$deno" run --no-prompt --no-remote \
  "$netflag" --allow-read="$read" $write "$envflag" --allow-sys="$sys" \
  "$@" src/main.ts
