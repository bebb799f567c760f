/** Checks shared by the model factories: each error names the field and what it accepts. */
import { valueText } from '../valueText';
import { Activation, ACTIVATIONS } from './layers';

/** A seed: any whole number (anything random in the course takes one). */
export function checkSeed(owner: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isInteger(value))) {
    throw new Error(`${owner}: seed must be a whole number, got ${valueText(value)}.`);
  }
}

export function checkPositiveInteger(model: string, field: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    throw new Error(`${model}: ${field} must be a whole number > 0, got ${valueText(value)}.`);
  }
}

export function checkActivation(model: string, field: string, value: unknown): asserts value is Activation {
  if (!(ACTIVATIONS as readonly unknown[]).includes(value)) {
    throw new Error(`${model}: ${field} must be one of ${ACTIVATIONS.join(', ')}, got ${valueText(value)}.`);
  }
}

export function checkOneOf<T extends string>(model: string, field: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new Error(`${model}: ${field} must be one of ${allowed.join(', ')}, got ${valueText(value)}.`);
  }
}

/** A list of filter counts (conv layers, one per stage): `count` of them when given, else at least one. */
export function checkFilters(model: string, filters: unknown, count?: number): void {
  const wanted = count === undefined ? 'a non-empty array, e.g. [16, 8]' : `${count} numbers, e.g. [16, 32]`;
  if (!Array.isArray(filters) || filters.length === 0 || (count !== undefined && filters.length !== count)) {
    throw new Error(`${model}: filters must be ${wanted}, got ${valueText(filters)}.`);
  }
  filters.forEach((f, i) => checkPositiveInteger(model, `filters[${i}]`, f));
}

/** Refuses option names the factory does not know (a typo would otherwise be ignored). */
export function checkKnownOptions(model: string, options: object, defaults: object): void {
  const known = new Set(Object.keys(defaults));
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new Error(`${model}: unknown option '${key}'. Known options: ${[...known].join(', ')}.`);
  }
}
