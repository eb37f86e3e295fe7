import { describeRedisLifecycle } from './suites/redis-lifecycle.js';

describeRedisLifecycle();
