/**
 * autoencoder-lessons: the library every lesson imports, and what your own notebook needs.
 *
 *   import { startLesson, loadFashionMnist, denseAutoencoder, train, reconstructionError } from '../src';
 *
 * In pipeline order: backend → data → models → train → evaluate → plot → lesson. Each name has a
 * line here; its own file documents it in full. Everything else in src/ is internal.
 */

// ── backend ────────────────────────────────────────────────────────────────────────────────────
/** Activates the fastest TensorFlow.js backend that loads (or AE_BACKEND's) and reports it in one line. */
export { setupBackend } from './backend';
/** Normal draws whose seed always counts (tfjs reads a seed of 0 as none). */
export { seededNormal } from './random';

// ── data ───────────────────────────────────────────────────────────────────────────────────────
/** Fashion-MNIST (shipped subset, or the official files with `source: 'full'`) as tensors in [0, 1]. */
export { loadFashionMnist, FASHION_MNIST_CLASSES } from './data/fashionMnist';
/** MNIST digits (8,000 + 2,000 shipped, or the official files). */
export { loadMnist } from './data/mnist';
/** The Wisconsin breast-cancer table as a danfojs DataFrame, every cell checked. */
export { loadBreastCancer } from './data/breastCancer';
/** A seeded split of row indices, and column standardisation with training statistics only. */
export { splitIndices, fitStandardiser } from './data/tabular';
/** Damage for denoising: Gaussian noise, masking, salt and pepper; seeded. */
export { corrupt, describeCorruption } from './data/corruption';
export type { Corruption } from './data/corruption';

// ── models ─────────────────────────────────────────────────────────────────────────────────────
/** The dense auto-encoder (bottleneck, regularised, sparse, k-sparse, thresholded). */
export { denseAutoencoder, overcompleteAutoencoder } from './models/dense';
/** The convolutional auto-encoder (lesson 03). */
export { convAutoencoder } from './models/conv';
/** The auto-encoder class every dense and conv model is. */
export { Autoencoder } from './models/autoencoder';
/** The variational auto-encoder, dense and convolutional, and a line of decoded codes. */
export { variationalAutoencoder, VariationalAutoencoder, interpolateCodes } from './models/vae';
export { convVariationalAutoencoder } from './models/convVae';
/** A penalty's weight sized as a share of the reconstruction error on the untrained model. */
export { penaltyWeightFor } from './models/penaltyWeight';
/** A linear classifier (lesson 08) and one-hot targets for it. */
export { softmaxRegression, oneHotLabels } from './models/softmaxRegression';
/** Layer table and parameter count of a model. */
export { modelSummary } from './models/summary';
export { countParameters } from './models/layers';
/** Saving and loading models, encoders and decoders (atomic, checksummed). */
export { saveModel, loadModel, loadEncoder, loadDecoder } from './models/saving';

// ── train ──────────────────────────────────────────────────────────────────────────────────────
/** The one training loop; evaluateLoss for held-out loss terms; thrown when the kernel is interrupted. */
export { train, evaluateLoss, TrainingInterrupted } from './train/train';
export type { TrainHistory, EpochRow } from './train/train';

// ── evaluate ───────────────────────────────────────────────────────────────────────────────────
/** Errors of a model on a set, exact (float64 sums), batch by batch, nothing left to dispose. */
export { reconstructionError, reconstructionErrors, reconstructionPsnr } from './evaluate/reconstruction';
/** Codes of a whole set; PSNR and MSE of two tensors. */
export { encodeAll, psnr, msePerPixel } from './evaluate/reconstruction';
/** Structural similarity (Wang et al. 2004), averaged over images. */
export { ssim } from './evaluate/ssim';
/** PCA, the linear baseline. */
export { fitPca } from './evaluate/pca';
export type { PcaModel } from './evaluate/pca';
/** Codes flattened to 2-D for a scatter plot (PCA or UMAP). */
export { project2d } from './evaluate/projection';
/** Dormant, active and dead code units. */
export { codeActivity } from './evaluate/activity';
/** How far a model's map is from the identity (the identity trap, measured). */
export { identityGap } from './evaluate/identity';
/** ‖∂h/∂x‖_F of a one-layer encoder (what the contractive penalty shrinks). */
export { codeSensitivity } from './evaluate/sensitivity';
/** Nearest neighbours in a representation, and precision@k. */
export { nearestNeighbours, precisionAtK } from './evaluate/neighbours';
/** A linear classifier trained on frozen features, and its accuracy. */
export { fitClassifier, accuracy } from './evaluate/classification';
/** k-means, and agreement of two labelings (adjusted Rand index, normalised mutual information). */
export { kMeansClusters, adjustedRandIndex, normalizedMutualInformation } from './evaluate/clustering';
/** ROC curve and AUC of an anomaly score. */
export { rocCurve } from './evaluate/roc';
/** A threshold from normal data, what it flags, and the chance range of a false-alarm count. */
export { quantileOf, decisionsAt, binomialRange } from './evaluate/threshold';
/** The Mahalanobis distance to normal data (Ledoit–Wolf shrinkage). */
export { fitMahalanobis } from './evaluate/mahalanobis';
/** JPEG, mozjpeg, WebP and AVIF round trips through sharp, bytes per image. */
export { codecRoundTrip, CODEC_NAMES } from './evaluate/codecs';
export type { CodecName } from './evaluate/codecs';
/** Codes quantised to a few bits, entropy-coded with brotli, and their rate per image. */
export { quantiseCodes, dequantiseCodes, compressCodes, decompressCodes, entropyCodedRate } from './evaluate/entropyCoding';

// ── plot ───────────────────────────────────────────────────────────────────────────────────────
/** Chart specifications: loss curves, code scatters, lines, bars, ROC, histograms; class colours. */
export { lossCurves, latentScatter, lineChart, barChart, rocChart, histogram, CLASS_COLOURS } from './plot/charts';
export type { Series } from './plot/charts';
/** Showing charts, image rows, image grids, tables and a model's architecture in the notebook. */
export { showChart, showImages, showGrid, showTable, showArchitecture } from './plot/show';
/** Loss charts that update while train() runs: one model, or several on one chart. */
export { liveTraining, liveComparison } from './plot/live';
/** Interactive figures, evaluated in the page: the latent explorer (decode under the pointer, draw and encode). */
export { showLatentExplorer } from './plot/latentExplorer';
/** A threshold slider over the test errors: precision, recall, false alarms and their chance range. */
export { showThresholdExplorer } from './plot/thresholdExplorer';
/** A 2-number code recorded after every epoch, and a slider over the epochs. */
export { recordCodes, showCodeHistory } from './plot/codeHistory';

// ── lesson ─────────────────────────────────────────────────────────────────────────────────────
/** A lesson's first cell: backend, run line, pick/images/batch, claims, sections and figures. */
export { startLesson } from './lesson';
/** Comparisons that name their figures, for lesson.claim / claimInFullMode / outcome. */
export { below, above, allOf, judged } from './comparisons';
export type { Lesson } from './lesson';
/** The exercises' checks. */
export { check } from './exercises';
