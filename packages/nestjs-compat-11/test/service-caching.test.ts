import { describeServiceCaching } from '../../nestjs/test/suites/service-caching.js';

describeServiceCaching();
