import { describeInterceptor } from './suites/interceptor.js';

describeInterceptor();
