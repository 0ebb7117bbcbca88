# qa-screen worker image. Build: docker build -t qa-screen .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json vite.config.ts ./
COPY src ./src
COPY bench ./bench
COPY web ./web
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY lexicons ./lexicons
COPY pipelines ./pipelines
COPY samples ./samples
USER node
EXPOSE 9464
ENTRYPOINT ["node", "bin/qa-screen.js"]
CMD ["worker", "--pipeline", "pipelines/chat-zh.yaml"]
