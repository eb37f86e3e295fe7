import { Cache, Cached } from '@cachet/core';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Param,
  ParseIntPipe,
  RequestMethod,
  UseGuards,
} from '@nestjs/common';
import {
  GUARDS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
} from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiOkResponse, ApiProperty, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachetModule } from '../../src/index.js';
import { type RunningApp, startApp } from '../support/app.js';

@Injectable()
class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().headers['x-api-key'] === 'secret';
  }
}

class BookDto {
  @ApiProperty({ description: 'the id' })
  id!: number;
  @ApiProperty({ description: 'the title' })
  title!: string;
}

let loads = 0;

@Controller('books')
class BooksController {
  // @Cached outermost: it runs last and copies what Nest and Swagger put on the method to its wrapper.
  @Cached({ key: (id: number) => `book:${id}` })
  @Get(':id')
  @HttpCode(203)
  @ApiOkResponse({ description: 'one book', type: BookDto })
  @UseGuards(ApiKeyGuard)
  async get(@Param('id', ParseIntPipe) id: number): Promise<BookDto> {
    loads++;
    return { id, title: `book ${id}` };
  }

  // @Cached innermost: Nest's and Swagger's decorators land on its wrapper.
  @Get()
  @ApiOkResponse({ description: 'every book', type: [BookDto] })
  @UseGuards(ApiKeyGuard)
  @Cached({ key: () => 'books' })
  async list(): Promise<BookDto[]> {
    loads++;
    return [{ id: 1, title: 'book 1' }];
  }
}

const withKey = { headers: { 'x-api-key': 'secret' } };

/** `@Cached` stacked with Nest's route, guard and status decorators and Swagger's on a controller method. */
export function describeMetadataStacking(): void {
  describe('metadata stacked with @Cached on a controller method', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({
        imports: [CachetModule.forRoot()],
        controllers: [BooksController],
        providers: [ApiKeyGuard],
      });
    });
    afterAll(() => running.close());

    it("keeps the route, guard and status metadata where Nest's Reflector reads it", () => {
      const reflector = running.app.get(Reflector);
      const { get, list } = BooksController.prototype;
      expect(reflector.get(PATH_METADATA, get)).toBe(':id');
      expect(reflector.get(METHOD_METADATA, get)).toBe(RequestMethod.GET);
      expect(reflector.get(HTTP_CODE_METADATA, get)).toBe(203);
      expect(reflector.get(GUARDS_METADATA, get)).toEqual([ApiKeyGuard]);
      expect(reflector.get(PATH_METADATA, list)).toBe('/');
      expect(reflector.get(GUARDS_METADATA, list)).toEqual([ApiKeyGuard]);
      expect([get.name, get.length]).toEqual(['get', 1]);
    });

    it('routes, guards, parses the param, sets the status, and caches', async () => {
      expect((await running.request('/books/1')).status).toBe(403);
      expect(await running.request('/books/1', withKey)).toEqual({
        status: 203,
        body: { id: 1, title: 'book 1' },
      });
      expect(await running.request('/books/1', withKey)).toEqual({
        status: 203,
        body: { id: 1, title: 'book 1' },
      });
      expect((await running.request('/books')).status).toBe(403);
      expect((await running.request('/books', withKey)).body).toEqual([{ id: 1, title: 'book 1' }]);
      await running.request('/books', withKey);
      expect(loads).toBe(2);
      // The param went through ParseIntPipe: the key was built from the number 1.
      expect(await running.app.get(Cache).get('book:1')).toEqual({ id: 1, title: 'book 1' });
    });

    it("keeps Swagger's responses in the OpenAPI document, in both stacking orders", () => {
      const document = SwaggerModule.createDocument(running.app, new DocumentBuilder().build());
      const one = document.paths['/books/{id}']?.get;
      expect(one?.responses?.['200']).toMatchObject({
        description: 'one book',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/BookDto' } } },
      });
      expect(one?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
      expect(document.paths['/books']?.get?.responses?.['200']).toMatchObject({
        description: 'every book',
        content: {
          'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/BookDto' } } },
        },
      });
      expect(document.components?.schemas?.BookDto).toMatchObject({
        properties: { id: { type: 'number' }, title: { type: 'string' } },
      });
    });
  });
}
