# Leadpool's image: built in one stage, run from a second with only what runs.
# Its steps are checked without a container engine by test/e2e/container-image.test.ts, which runs
# them as a script (COPY, WORKDIR, ENV, RUN) and starts the result; keep RUN steps to paths under
# WORKDIR so that check can follow them.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
# The lockfile and the schema first: the install (and the Prisma client it generates) stays cached
# while only the source changes.
COPY package.json package-lock.json ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
# Only what runs is kept; the embedded database's folder is made here, owned by the app's user below.
RUN npm prune --omit=dev --no-audit --no-fund && mkdir -p data

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data \
    LOG_LEVEL=info
COPY --from=build --chown=node:node /app /app
# Not root: the image's own unprivileged user.
USER node
# The embedded database (when DATABASE_URL is not set) lives here; mount a volume to keep it.
VOLUME ["/app/data"]
EXPOSE 3000
# Liveness: the process answers and its database is reachable. Load balancers should use /readyz.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node itself as PID 1's child-free process: SIGTERM reaches Leadpool, which stops gracefully.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
