// What the docs' TypeScript blocks take as the reader's own, declared once for all of them (see
// snippets.ts). Only the reader's names belong here: a block that uses a library's name imports it, and
// a name only one block uses goes in that block's hidden prelude.

/** The reader's user record. */
interface User {
  id: number;
  name: string;
}

/** The reader's database client: a Nest provider in docs/nestjs.md, `db` elsewhere. */
declare class Db {
  users: {
    find(id: number): Promise<User | null>;
    update(id: number, patch: Partial<User>): Promise<void>;
  };
}

declare const db: Db;

/** `@nestjs/config` is not installed here: the two names the docs use from it, as it declares them. */
declare module '@nestjs/config' {
  export class ConfigModule {}
  export class ConfigService {
    get<T = any>(propertyPath: string): T | undefined;
    getOrThrow<T = any>(propertyPath: string): T;
  }
}
