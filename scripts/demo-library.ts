/**
 * Demonstrates the library on real data and prints figures to compare with published ones
 * (a demo, not a test: nothing here asserts).
 *
 *   npm run demo               # shipped Fashion-MNIST subset (10,000 training images)
 *   npm run demo -- --full     # the official 60,000 training images (Debian's dataset-fashion-mnist)
 *
 * 1. The TensorFlow "Intro to autoencoders" model: Dense(64, relu) → Dense(784, sigmoid), MSE,
 *    Adam, batch 32, 10 epochs. The tutorial reports a test loss of about 0.0088 per pixel.
 * 2. A 32-wide code against 32-component PCA: reconstruction MSE per pixel on the test set.
 */
import { setupBackend } from '../src/backend';
import { loadFashionMnist } from '../src/data/fashionMnist';
import { denseAutoencoder } from '../src/models/dense';
import { train, evaluateLoss } from '../src/train/train';
import { fitPca } from '../src/evaluate/pca';
import { reconstructionError } from '../src/evaluate/reconstruction';

const EPOCHS = 10;
const BATCH = 32;
const SEED = 1;

async function main(): Promise<void> {
  const full = process.argv.includes('--full');
  const report = await setupBackend();
  const data = loadFashionMnist({ source: full ? 'full' : 'shipped' });
  console.log(`Data: ${data.source}; ${data.train.count} training and ${data.test.count} test images.`);

  const tutorial = denseAutoencoder({ hidden: [], code: 64, codeActivation: 'relu', seed: SEED });
  const started = Date.now();
  await train(tutorial, data.train.x, {
    epochs: EPOCHS, batchSize: BATCH, seed: SEED,
    callbacks: { onEpochEnd: (row) => console.log(`  ${tutorial.name} epoch ${row.epoch}: train MSE ${row.total.toFixed(5)} (${row.seconds.toFixed(1)} s)`) },
  });
  const tutorialTest = (await evaluateLoss(tutorial, data.test.x)).reconstruction;
  console.log(`1. ${tutorial.name}, ${EPOCHS} epochs, batch ${BATCH}, ${data.train.count} training images: test MSE per pixel ${tutorialTest.toFixed(5)} (TensorFlow tutorial, 60,000 images: ≈0.0088). ${((Date.now() - started) / 1000).toFixed(0)} s on ${report.backend}.`);
  tutorial.dispose();

  const ae32 = denseAutoencoder({ hidden: [256], code: 32, codeActivation: 'linear', seed: SEED });
  await train(ae32, data.train.x, { epochs: EPOCHS, batchSize: BATCH, seed: SEED });
  const aeError = reconstructionError(ae32, data.test.x);
  const pca = fitPca(data.train.x, 32);
  const pcaError = reconstructionError(pca, data.test.x);
  const change = 100 * Math.abs(1 - aeError / pcaError);
  console.log(`2. ${ae32.name}: test MSE per pixel ${aeError.toFixed(5)}; PCA with 32 components: ${pcaError.toFixed(5)} (${(100 * pca.explainedVarianceRatio).toFixed(1)}% of the variance). The auto-encoder's error is ${change.toFixed(1)}% ${aeError < pcaError ? 'lower' : 'higher'}.`);
  pca.dispose();
  ae32.dispose();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
