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

/** Refuses option names the factory does not know (a typo would otherwise be ignored). */
export function checkKnownOptions(model: string, options: object, defaults: object): void {
  const known = new Set(Object.keys(defaults));
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new Error(`${model}: unknown option '${key}'. Known options: ${[...known].join(', ')}.`);
  }
}
