import { describeMetadataStacking } from './suites/metadata-stacking.js';

describeMetadataStacking();
