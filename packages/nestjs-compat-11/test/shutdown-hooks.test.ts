import { describeShutdownHooks } from '../../nestjs/test/suites/shutdown-hooks.js';

describeShutdownHooks(11, { nestFrom: new URL('../package.json', import.meta.url).href });
