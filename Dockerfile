# refswarm: one image for every role (setup/load, worker, coordinator). TypeScript runs through tsx,
# so there is no build step; the entrypoint is the refswarm CLI and the command picks the role.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    RESULTS_DIR=/app/results

COPY package.json package-lock.json ./
# tsx (the TypeScript runner) is a runtime dependency; dev tools (ava, typescript) are not needed.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY coordinator ./coordinator
COPY worker ./worker
COPY shared ./shared
COPY sql ./sql
RUN mkdir -p /app/results && chmod +x bin/refswarm

ENTRYPOINT ["node", "bin/refswarm"]
CMD ["--help"]
