import { nestProject } from '../nestjs/vitest.shared.js';

/** The NestJS suite of `@cachet/nestjs` again, with every `@nestjs/*` import resolved to Nest 11. */
export default nestProject('nestjs-11', { nestFrom: new URL('./', import.meta.url).href });
