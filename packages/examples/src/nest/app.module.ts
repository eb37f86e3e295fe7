import { CachetModule } from '@cachet/nestjs';
import { RedisBus, redisStore } from '@cachet/redis';
import { Module } from '@nestjs/common';
import { UsersController } from './users.controller.js';
import { UsersRepository, UsersService } from './users.service.js';

/**
 * In memory by default; with `REDIS_URL` set, Redis is the shared second level and a Redis bus keeps
 * every instance's memory layer coherent. A Redis that is down at boot only logs a warning.
 */
@Module({
  imports: [
    CachetModule.forRootAsync({
      isGlobal: true,
      useFactory: () => {
        const url = process.env.REDIS_URL;
        if (!url) return { namespace: 'example', ttl: '5m' };
        return { namespace: 'example', ttl: '5m', store: redisStore(url), bus: new RedisBus({ url }) };
      },
    }),
  ],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService],
})
export class AppModule {}
