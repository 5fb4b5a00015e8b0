# IMS image: one image runs the API (default), the worker and the migration job; the service's
# command picks which (see docker-compose.yml).
#
# Debian (glibc) base on purpose, not Alpine: the Temporal SDK's native bridge
# (@temporalio/core-bridge) ships prebuilt binaries for glibc Linux only.
# Both stages use the same pinned tag; bump them together.

# ---- build: install everything, compile TypeScript, bundle workflows, drop dev dependencies
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app

# patches/ first: npm ci's postinstall applies them (patch-package), e.g. the postgres.js fix for
# connections dropped by a database restart.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund

COPY . .
# Writes dist/worker.js, dist/api/server.js, dist/scripts/migrate.js and dist/workflow-bundle.js
# (node_modules stay external, so the runtime stage needs the production node_modules).
RUN npm run build \
  && test -f dist/workflow-bundle.js \
  && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled output, production node_modules and the SQL migrations only.
# Files stay root-owned (read-only to the app); the process runs as the unprivileged `node` user.
FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at runtime by dist/scripts/migrate.js (resolved as /app/db/migrations).
COPY --from=build /app/db/migrations ./db/migrations
# The staff screens' templates and static files (web/paths.ts finds them under /app/web).
COPY --from=build /app/web/views ./web/views
COPY --from=build /app/web/static ./web/static

# Uploaded income files live on a volume shared by the API and the worker; a named volume takes
# this directory's ownership when first mounted, so the node user can write there.
RUN mkdir -p /var/lib/ims/imports && chown node:node /var/lib/ims/imports
USER node
EXPOSE 3000
# docker-compose.yml runs this under an init process (init: true) that forwards SIGTERM to Node;
# the API and worker handle it and shut down gracefully.
CMD ["node", "dist/api/server.js"]
