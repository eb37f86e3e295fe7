export { CachetModule } from './cachet-module.js';
export {
  CACHET_KEY_METADATA,
  CACHET_TAGS_METADATA,
  CACHET_TTL_METADATA,
  CacheKey,
  CacheTags,
  CacheTTL,
  type FromContext,
} from './interceptor/cache-metadata.js';
export { CachetInterceptor } from './interceptor/cachet-interceptor.js';
export type {
  CachetFeatureAsyncOptions,
  CachetFeatureOptions,
  CachetModuleAsyncOptions,
  CachetModuleOptions,
  CachetOptionsFactory,
  CachetRootOptions,
} from './module-options.js';
export { CACHET_OPTIONS, getCacheOptionsToken, getCacheToken, InjectCache } from './tokens.js';
