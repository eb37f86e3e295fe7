import { describeRedisLifecycle } from '../../nestjs/test/suites/redis-lifecycle.js';

describeRedisLifecycle();
