// Core: keys from manifests are data. `__proto__`, `constructor` and `prototype` are ordinary keys: writing one
// makes an own property (never a prototype change) and reading a lookup table never finds Object.prototype's members.

/** Sets `obj[key]` as an own, enumerable property, whatever the key (`obj.__proto__ = x` would change the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** `table[key]` when the table itself has that key; undefined for "constructor", "toString" and the like. */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
