import { describeMetadataStacking } from '../../nestjs/test/suites/metadata-stacking.js';

describeMetadataStacking();
