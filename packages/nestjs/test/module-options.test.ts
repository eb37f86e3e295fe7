import { describeModuleOptions } from './suites/module-options.js';

describeModuleOptions();
