/**
 * Holes in a code space (lesson 05): do codes drawn at random land where the codes of real images
 * lie? A hole is a region of the code space that no training image's code lies in; a random code
 * in a hole may decode to nonsense.
 *
 * Measured in the code space itself, without units, so that two models whose codes have different
 * scales can be compared:
 *
 *   hole ratio = mean distance from a random code to its nearest training code
 *              ÷ mean distance from a training code to its nearest other training code
 *
 * Near 1: random codes land as close to the training codes as these lie to each other. Large: many
 * random codes land in holes. The spacing is measured on the first n training codes, n the number
 * of random codes, each against all the training codes (itself left out).
 */
import * as tf from '@tensorflow/tfjs';
import { nearestNeighbours } from './neighbours';

function checkCodes(codes: tf.Tensor, what: string): void {
  if (!(codes instanceof tf.Tensor) || codes.rank !== 2 || codes.shape[0] === 0) {
    const shape = codes instanceof tf.Tensor ? `(${codes.shape.join(', ')})` : typeof codes;
    throw new Error(`holeRatio: ${what} must be (codes, code size) with at least one code, got ${shape}.`);
  }
}

/** Mean Euclidean distance from each query to its nearest item (itself left out with sameSet). */
function meanNearestDistance(queries: tf.Tensor, items: tf.Tensor, sameSet: boolean): number {
  const { distances } = nearestNeighbours(queries, items, 1, { sameSet });
  return distances.reduce((sum, d) => sum + Math.sqrt(d[0]), 0) / distances.length;
}

/**
 * How far random codes land from the training codes, relative to the training codes' own spacing
 * (see the file comment). `trainCodes` (N, d) and `randomCodes` (n, d) with n < N.
 *
 *   holeRatio(encodeAll(model, data.train.x), seededNormal([500, 2], 0, 1, seed))
 */
export function holeRatio(trainCodes: tf.Tensor, randomCodes: tf.Tensor): number {
  checkCodes(trainCodes, 'trainCodes');
  checkCodes(randomCodes, 'randomCodes');
  const [n, size] = randomCodes.shape;
  if (trainCodes.shape[1] !== size) {
    throw new Error(`holeRatio: randomCodes have ${size} numbers per code but trainCodes ${trainCodes.shape[1]}.`);
  }
  if (trainCodes.shape[0] <= n) {
    throw new Error(`holeRatio: trainCodes must hold more codes than randomCodes (${n}), got ${trainCodes.shape[0]}.`);
  }
  const among = trainCodes.slice(0, n);
  try {
    const spacing = meanNearestDistance(among, trainCodes, true);
    return meanNearestDistance(randomCodes, trainCodes, false) / spacing;
  } finally {
    among.dispose();
  }
}
