import { describeModuleOptions } from '../../nestjs/test/suites/module-options.js';

describeModuleOptions();
