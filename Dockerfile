# model-cache as one self-contained executable (`bun build --compile`, see scripts/build-binary.ts)
# on a small Debian base. Nothing is fetched at run time: the executable embeds Bun, the service,
# onnxruntime-web's WASM runtime and Swagger UI's assets, and the demo models are copied in
# (mount your own folder over /app/models, or see deploy/k8s).
#   docker build -t model-cache:0.1.0 .
#   docker run --rm -p 3000:3000 model-cache:0.1.0
FROM node:22-bookworm-slim AS build
WORKDIR /src
# npm ci installs Bun itself (an npm package); the stub replaces onnxruntime-node (never used).
COPY package.json package-lock.json ./
COPY stubs ./stubs
RUN npm ci --no-audit --no-fund
COPY . .
RUN node_modules/.bin/bun scripts/build-binary.ts --outfile /out/model-cache

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /out/model-cache /app/model-cache
COPY models /app/models
ENV HOST=0.0.0.0 \
    PORT=3000 \
    MODELS_DIR=/app/models \
    MODEL_CACHE_DIR=/tmp/model-cache
# Any unprivileged user: the service writes nothing but its logs.
USER 65532:65532
EXPOSE 3000
ENTRYPOINT ["/app/model-cache"]
