import { nestProject } from './vitest.shared.js';

/** The NestJS suite against Nest 12, the version this package develops on. */
export default nestProject('nestjs');
