/**
 * One implementation for both decorator modes, told apart by the arguments at run time:
 * - TC39 standard decorators (TypeScript ≥ 5 without `experimentalDecorators`): `(method, context)`;
 * - legacy `experimentalDecorators` (NestJS): `(prototype or class, name, descriptor)`.
 */

type AnyMethod = (this: unknown, ...args: any[]) => unknown;

/** Where a decorated method sits: enough to name its default namespace. */
export interface MethodSite {
  /** The method's name. */
  readonly name: string;
  /** The declaring class's name, given `this` of a call (found once, then remembered). */
  className(self: unknown): string;
}

/** Builds the wrapper of a decorated method. */
export type WrapMethod = (original: AnyMethod, site: MethodSite) => AnyMethod;

/** Turns `wrap` into a decorator that works in both modes. `decorator` names it in errors. */
export function methodDecorator(decorator: string, wrap: WrapMethod) {
  return function decorate(target: unknown, context: unknown, descriptor?: PropertyDescriptor): any {
    if (isStandardContext(context)) {
      if (context.kind !== 'method')
        throw new TypeError(`@${decorator} applies to methods, not to a ${context.kind}`);
      const name = String(context.name);
      let wrapper: AnyMethod;
      let declaredIn: string | undefined;
      const site: MethodSite = {
        name,
        className: (self) => (declaredIn ??= declaringClass(self, name, wrapper)),
      };
      wrapper = wrap(target as AnyMethod, site);
      return copyIdentity(wrapper, target as AnyMethod);
    }
    if (descriptor === undefined || typeof descriptor.value !== 'function') {
      throw new TypeError(`@${decorator} applies to methods`);
    }
    const original = descriptor.value as AnyMethod;
    const owner = typeof target === 'function' ? target.name : (target as object).constructor.name;
    const wrapper = wrap(original, { name: String(context), className: () => owner });
    copyIdentity(wrapper, original);
    copyMetadata(original, wrapper);
    descriptor.value = wrapper;
    return descriptor;
  };
}

function isStandardContext(context: unknown): context is ClassMethodDecoratorContext {
  return typeof context === 'object' && context !== null && 'kind' in context;
}

/** Gives the wrapper the original's name and arity, as frameworks and stack traces read them. */
function copyIdentity(wrapper: AnyMethod, original: AnyMethod): AnyMethod {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  return wrapper;
}

/** Keeps the reflect-metadata other legacy decorators put on the original method (Nest's route, Swagger). */
function copyMetadata(original: AnyMethod, wrapper: AnyMethod): void {
  const reflect = Reflect as unknown as {
    getOwnMetadataKeys?: (target: object) => unknown[];
    getOwnMetadata?: (key: unknown, target: object) => unknown;
    defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  };
  if (typeof reflect.getOwnMetadataKeys !== 'function') return;
  for (const key of reflect.getOwnMetadataKeys(original)) {
    reflect.defineMetadata?.(key, reflect.getOwnMetadata?.(key, original), wrapper);
  }
}

/** The name of the class that declares `wrapper` as method `name`, walking up from `self`. */
function declaringClass(self: unknown, name: string, wrapper: AnyMethod): string {
  let holder: any = typeof self === 'function' ? self : Object.getPrototypeOf(self ?? Object.prototype);
  while (holder !== null && holder !== undefined) {
    if (Object.hasOwn(holder, name) && holder[name] === wrapper) {
      return typeof holder === 'function' ? holder.name : holder.constructor.name;
    }
    holder = Object.getPrototypeOf(holder);
  }
  return typeof self === 'function'
    ? self.name
    : ((self as object | undefined)?.constructor?.name ?? 'anonymous');
}
