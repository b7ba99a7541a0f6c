/** Small checks for turning parsed JSON into typed values; each throws an Error naming the bad field. */

export type Json = Record<string, unknown>;

export function object(value: unknown, at: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at} is not an object.`);
  return value as Json;
}

export function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${at} is not a list.`);
  return value;
}

export function field<T>(source: Json, key: string, at: string, check: (value: unknown) => value is T): T {
  const value = source[key];
  if (!check(value)) throw new Error(`${at}.${key} has an unexpected value.`);
  return value;
}

export function oneOf<const T extends string>(values: readonly T[]): (value: unknown) => value is T {
  return (value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);
}

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
export const isStringOrNull = (value: unknown): value is string | null => value === null || isString(value);
export const isNumberOrNull = (value: unknown): value is number | null => value === null || isNumber(value);
export const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
