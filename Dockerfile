# One image for both processes: `node dist/api/main.js` or `node dist/worker/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compiles to dist/ and bundles the workflows once into dist/workflow-bundle.js (scripts/build-workflow-bundle.ts).
RUN npm run build && npm prune --omit=dev && test -s dist/workflow-bundle.js

FROM node:20-bookworm-slim
WORKDIR /app
# Documents are printed to PDF by Debian's headless Chromium with the Noto fonts for every script
# (by the API, when a PDF is first read; the worker stores HTML). See infra/chromium.ts.
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-core fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
# NODE_ENV=production: the worker loads the workflow bundle built above instead of bundling at every start.
ENV NODE_ENV=production CHROMIUM_PATH=/usr/bin/chromium
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
CMD ["node", "dist/api/main.js"]
