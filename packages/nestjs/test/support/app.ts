import type { INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';

/** A Nest app listening on a loopback port chosen at run time. */
export interface RunningApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** GET (or another method) `path`, returning the status and the parsed JSON body (or text). */
  request(path: string, init?: RequestInit): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Compiles `metadata` into a testing module, makes an HTTP app of it and listens on 127.0.0.1:0. */
export async function startApp(
  metadata: ModuleMetadata,
  options: { logger?: LoggerService | false } = {},
): Promise<RunningApp> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication({ logger: options.logger ?? false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    async request(path, init) {
      const response = await fetch(url + path, init);
      const text = await response.text();
      let body: any = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    close: () => app.close(),
  };
}

/** A logger that keeps what it is given, for assertions on warnings. */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: string; context?: string }[] = [];
  log(message: any, context?: string) {
    this.lines.push({ level: 'log', message: String(message), context });
  }
  error(message: any, _trace?: string, context?: string) {
    this.lines.push({ level: 'error', message: String(message), context });
  }
  warn(message: any, context?: string) {
    this.lines.push({ level: 'warn', message: String(message), context });
  }
  debug() {}
  verbose() {}
  warnings(): string[] {
    return this.lines
      .filter((line) => line.level === 'warn')
      .map((line) => `[${line.context}] ${line.message}`);
  }
}

/** Resolves once `check` returns true, polling every 20 ms for at most `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
