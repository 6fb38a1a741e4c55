# mock-drama image: one image for every role. The command picks the role:
#   all (default)  API + turns in one process, embedded PGlite under /app/data
#   serve          web only (needs DATABASE_URL and REDIS_URL)
#   work           worker only (needs DATABASE_URL and REDIS_URL)
# The server's TypeScript is compiled into dist/ (`mock-drama build`, esbuild, a production
# dependency), so the processes load plain JavaScript; the web client is bundled once by
# `mock-drama build-web`. See deploy/README.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: production node_modules only ------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# (No BuildKit cache mount: Railway accepts them only with its own id format.)
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    WORKER_HEALTH_PORT=9464
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
# dist/: what bin/mock-drama.js runs (it falls back to the sources through tsx only when dist/ is
# missing or older than them, which cannot happen in the image: its code is read-only).
RUN node bin/mock-drama.js build
COPY stories ./stories
# The web client: built once here (Vite, a production dependency) into web/dist, served at /.
COPY web ./web
COPY sdk ./sdk
RUN node bin/mock-drama.js build-web
COPY deploy/docker/healthcheck.mjs ./deploy/docker/healthcheck.mjs
# Code stays root-owned and read-only for the app user; only DATA_DIR (./data, the embedded
# database and generated JWT secret of `all`) is writable. tsx also needs a writable $TMPDIR (/tmp).
RUN mkdir -p /app/data && chown node:node /app/data
USER 1000:1000

# 8000: HTTP API, WebSocket and SSE (PORT). 9464: the worker's /healthz and /readyz (WORKER_HEALTH_PORT).
EXPOSE 8000 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "deploy/docker/healthcheck.mjs", "/healthz"]
# Exec form: node is PID 1 and receives SIGTERM itself (graceful drain, SHUTDOWN_GRACE_MS). The V8
# flags are bin/v8-flags.js's: given here, on node's command line, because V8 must read them
# before it compiles anything.
ENTRYPOINT ["node", "--max-inlined-bytecode-size=115", "--max-inlined-bytecode-size-cumulative=230", "--interrupt-budget=135168", "bin/mock-drama.js"]
CMD ["all"]
