import { CacheTags, CacheTTL, CachetInterceptor } from '@cachet/nestjs';
import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseIntPipe,
  Put,
  UseInterceptors,
} from '@nestjs/common';
import { UsersService } from './users.service.js';

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Cached in the service: the database sees one query per user per minute. */
  @Get('users/:id')
  async get(@Param('id', ParseIntPipe) id: number) {
    const user = await this.users.get(id);
    if (user === null) throw new NotFoundException(`no user ${id}`);
    return user;
  }

  /** Renaming invalidates the user's entry (and the directory below, tagged `users`). */
  @Put('users/:id')
  async rename(@Param('id', ParseIntPipe) id: number, @Body() body: { name: string }) {
    return this.users.rename(id, body.name);
  }

  /** Cached as a whole response by the interceptor, as `@nestjs/cache-manager` did, for 10 s. */
  @Get('directory')
  @UseInterceptors(CachetInterceptor)
  @CacheTTL('10s')
  @CacheTags(['users'])
  async directory() {
    return { users: [await this.users.get(1), await this.users.get(2)], at: new Date().toISOString() };
  }

  @Get('stats')
  stats() {
    return this.users.stats();
  }
}
