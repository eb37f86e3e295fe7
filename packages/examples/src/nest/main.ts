/**
 * The NestJS example: `pnpm --filter examples nest` (after `pnpm build`), then
 *   curl localhost:3000/users/1      # the first call queries the database, the next ones do not
 *   curl -X PUT -H 'content-type: application/json' -d '{"name":"Ada"}' localhost:3000/users/1
 *   curl localhost:3000/directory    # a whole response, cached by CachetInterceptor
 *   curl localhost:3000/stats
 * With REDIS_URL=redis://127.0.0.1:6379 the cache is shared through Redis. PORT picks the port.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const app = await NestFactory.create(AppModule);
// SIGTERM / SIGINT close the app: the cache disconnects its store and bus.
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
new Logger('Example').log(
  `listening on ${await app.getUrl()}, cache ${process.env.REDIS_URL ? `on ${process.env.REDIS_URL}` : 'in memory'}`,
);
