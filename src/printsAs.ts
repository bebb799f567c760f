/**
 * How an object prints when a notebook cell ends on it. tslab (like Node's REPL) prints a cell's
 * last value with util.inspect; an object that names `Symbol.for('nodejs.util.inspect.custom')`
 * prints as what that function returns. The one place the library uses the trick.
 */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Makes `object` print as `text()` in a notebook or Node's console; the property is not enumerable. Returns `object`. */
export function printsAs<T extends object>(object: T, text: () => string): T {
  Object.defineProperty(object, INSPECT, { value: text, enumerable: false, configurable: true });
  return object;
}
