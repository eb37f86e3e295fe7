import { describeInterceptor } from '../../nestjs/test/suites/interceptor.js';

describeInterceptor();
