import { describeServiceCaching } from './suites/service-caching.js';

describeServiceCaching();
