/**
 * Legacy (`experimentalDecorators`) mode only: metadata that other decorators put on a method, as
 * NestJS's `@Get()` or Swagger's `@ApiOkResponse()` do, survives being wrapped by ours, whichever
 * order they are stacked in.
 */
import 'reflect-metadata';
import { expect, test } from 'vitest';
import { Cache } from '../cache.js';
import { Cached } from './cached.js';
import { Invalidate } from './invalidate.js';

const ROUTE = 'path';
const Route =
  (path: string): MethodDecorator =>
  (_target, _key, descriptor) => {
    Reflect.defineMetadata(ROUTE, path, descriptor.value as object);
  };

const cache = new Cache();

class Controller {
  @Cached({ cache })
  @Route('/users')
  async list(): Promise<string[]> {
    return ['ada'];
  }

  @Route('/users/:id')
  @Cached({ cache })
  async one(id: string): Promise<string> {
    return id;
  }

  @Invalidate({ cache, all: true })
  @Route('/reset')
  async reset(): Promise<void> {}
}

test('metadata set before our decorator is copied onto the wrapper', () => {
  const method = Controller.prototype.list;
  expect(Reflect.getMetadata(ROUTE, method)).toBe('/users');
  expect(Reflect.getMetadata(ROUTE, Controller.prototype.reset)).toBe('/reset');
});

test('metadata set after our decorator lands on the wrapper itself', () => {
  expect(Reflect.getMetadata(ROUTE, Controller.prototype.one)).toBe('/users/:id');
});

test('the wrapper keeps the method name and still caches', async () => {
  const controller = new Controller();
  expect(Controller.prototype.list.name).toBe('list');
  expect(await controller.one('7')).toBe('7');
  expect(cache.stats().misses).toBe(1);
  expect(await controller.one('7')).toBe('7');
  expect(cache.stats().hits).toBe(1);
});
