import { describeShutdownHooks } from './suites/shutdown-hooks.js';

describeShutdownHooks(12);
