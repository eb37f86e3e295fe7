import { describeNestVersion } from './suites/nest-version.js';

describeNestVersion(12);
