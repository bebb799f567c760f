/**
 * A value as an error message shows it: a string in quotes, so that `epochs: '5'` reads
 * "got '5'" and not "got 5", which looks right; arrays, objects and tensors by what they are.
 */
import * as tf from '@tensorflow/tfjs';

export function valueText(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof tf.Tensor) return `a tensor of shape (${value.shape.join(', ')})`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
