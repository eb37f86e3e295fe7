import { describeNestVersion } from '../../nestjs/test/suites/nest-version.js';

describeNestVersion(11);
