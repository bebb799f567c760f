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
/** Rows for anomaly detection: normal rows into train / validation / test, anomalies into test. */
export { anomalySplit } from './data/anomalySplit';
export type { AnomalySplit } from './data/anomalySplit';
/** Damage for denoising: Gaussian noise, masking, salt and pepper; seeded. */
export { corrupt, describeCorruption } from './data/corruption';
export type { Corruption } from './data/corruption';
/** Lesson 09's series: UCR InternalBleeding16 with its labelled anomaly, checksum checked. */
export { loadInternalBleeding, labelledEvents } from './data/ucrAnomaly';
export type { LabelledSeries } from './data/ucrAnomaly';
/** Windows cut from a series, its standardisation with normal points only, downsampling. */
export { cutWindows, windowLabels, standardiseWith, downsample, downsampleLabels } from './data/windows';

// ── models ─────────────────────────────────────────────────────────────────────────────────────
/** The dense auto-encoder (bottleneck, regularised, sparse, k-sparse, thresholded). */
export { denseAutoencoder, overcompleteAutoencoder } from './models/dense';
/** The convolutional auto-encoder (lesson 03). */
export { convAutoencoder } from './models/conv';
/** Sequence auto-encoders (lesson 09): LSTM encoder–decoder, and 1-D convolutional. */
export { lstmAutoencoder } from './models/lstmAutoencoder';
export { conv1dAutoencoder } from './models/conv1dAutoencoder';
/** One LSTM step written out (lesson 09 writes it again and checks it against this). */
export { lstmStep } from './models/lstm';
/** The auto-encoder class every dense and conv model is. */
export { Autoencoder } from './models/autoencoder';
/** The variational auto-encoder, dense and convolutional, and a line of decoded codes. */
export { variationalAutoencoder, VariationalAutoencoder, interpolateCodes } from './models/vae';
export { convVariationalAutoencoder } from './models/convVae';
/** A penalty's weight sized as a share of the reconstruction error on the untrained model. */
export { penaltyWeightFor, sizePenalty } from './models/penaltyWeight';
/** A linear classifier (lesson 08) and one-hot targets for it. */
export { softmaxRegression, oneHotLabels } from './models/softmaxRegression';
/** Layer table and parameter count of a model. */
export { modelSummary } from './models/summary';
export { countParameters } from './models/layers';
/** The weights a dense auto-encoder starts from, as plain tensors (lesson 01's hand-written model). */
export { startingWeights } from './models/startingWeights';
/** Saving and loading models, encoders and decoders (atomic, checksummed). */
export { saveModel, loadModel, loadEncoder, loadDecoder } from './models/saving';

// ── train ──────────────────────────────────────────────────────────────────────────────────────
/** The one training loop; evaluateLoss for held-out loss terms; thrown when the kernel is interrupted. */
export { train, evaluateLoss, TrainingInterrupted } from './train/train';
export type { TrainHistory, EpochRow, TrainingCallbacks, EarlyStopping } from './train/train';
/** A train() hook that measures a model after every epoch and keeps the rows. */
export { everyEpoch } from './train/everyEpoch';

// ── evaluate ───────────────────────────────────────────────────────────────────────────────────
/** Errors of a model on a set, exact (float64 sums), batch by batch, nothing left to dispose. */
export { reconstructionError, errorPerSample, reconstructionPsnr } from './evaluate/reconstruction';
/** Codes of a whole set; PSNR and MSE of two tensors; the mean of numbers, summed in float64. */
export { encodeAll, psnr, msePerPixel, mean } from './evaluate/reconstruction';
/** The yardstick: always answering the average training sample. */
export { averageAnswer } from './evaluate/averageAnswer';
export type { AverageAnswer } from './evaluate/averageAnswer';
/** Structural similarity (Wang et al. 2004), averaged over images. */
export { ssim } from './evaluate/ssim';
/** PCA, the linear baseline. */
export { fitPca } from './evaluate/pca';
export type { PcaModel } from './evaluate/pca';
/** Codes flattened to 2-D for a scatter plot (PCA or UMAP). */
export { project2d } from './evaluate/projection';
/** Dormant, active and dead code units. */
export { codeActivity } from './evaluate/activity';
/** A model's sparsity on a set in one row: error, active units per image, mean activation, share of units dead. */
export { measureSparsity, sparsityFigures } from './evaluate/sparsity';
/** The largest difference of two tensors relative to the second's size (lesson code against the library). */
export { relativeDifference } from './evaluate/difference';
/** How far a model's map is from the identity (the identity trap, measured). */
export { identityGap } from './evaluate/identity';
/** Lesson 01's identity trap: directions on and off the data, gaps and errors, and its judgements. */
export {
  dataDirections, copyingMeasures, copierNearsIdentity, describesDigitsAsClothes, copierCopiesAnything,
} from './evaluate/identity';
/** Lesson 01's code-size sweep: a wider code loses less (auto-encoder and PCA). */
export { widerCodesLoseLess } from './evaluate/codeSizes';
/** ‖∂h/∂x‖_F of a one-layer encoder (what the contractive penalty shrinks). */
export { codeSensitivity } from './evaluate/sensitivity';
/** Lesson 02's measures of a constrained model (errors, silent units, sensitivity, identity gap). */
export { measureConstraint, lowestOf, constraintFigures } from './evaluate/constraints';
export type { ConstraintRow } from './evaluate/constraints';
/** Nearest neighbours in a representation, and precision@k. */
export { nearestNeighbours, precisionAtK } from './evaluate/neighbours';
/** Holes in a code space: how far random codes land from training codes, ÷ their spacing. */
export { holeRatio } from './evaluate/holes';
/** KL(N(μ, σ²) ‖ N(0, I)) of one code distribution: closed form, and a Monte Carlo estimate. */
export { gaussianKl, gaussianKlMonteCarlo } from './evaluate/gaussianKl';
/** What β trades in a VAE: the KL term against the reconstruction, between the ends and step by step. */
export { betaTrade, betaTradeAtEveryStep } from './evaluate/betaTrade';
export type { LossTermsAtBeta } from './evaluate/betaTrade';
/** A linear classifier trained on frozen features, and its accuracy. */
export { fitClassifier, accuracy, accuracyByLabelCount } from './evaluate/classification';
/** Representations compared as features (pixels, PCA, codes), scaled to one spread. */
export { scaledBySpread } from './evaluate/representations';
export type { Representation } from './evaluate/representations';
/** k-means, and agreement of two labelings (adjusted Rand index, normalised mutual information). */
export { kMeansClusters, adjustedRandIndex, normalizedMutualInformation } from './evaluate/clustering';
/** ROC curve and AUC of an anomaly score. */
export { rocCurve } from './evaluate/roc';
export type { RocCurve } from './evaluate/roc';
/** A threshold from normal data, what it flags, and the chance range of a false-alarm count. */
export { quantileOf, decisionsAt, binomialRange } from './evaluate/threshold';
/** Scores by class: medians and the classes of the highest scores (typical against extreme). */
export { scoresByClass, highestFirst, typicalNotExtreme } from './evaluate/scoresByClass';
/** The Mahalanobis distance to normal data (Ledoit–Wolf shrinkage). */
export { fitMahalanobis } from './evaluate/mahalanobis';
/** Scores along a series: a model's error per time step, the rolling z-score, a window's largest. */
export { errorPerStep, rollingZScores, windowMax } from './evaluate/sequenceScores';
/** JPEG, mozjpeg, WebP and AVIF round trips through sharp, bytes per image. */
export { codecRoundTrip, CODEC_NAMES } from './evaluate/codecs';
export type { CodecName } from './evaluate/codecs';
/** Codes quantised to a few bits, entropy-coded with brotli, and their rate per image. */
export { quantiseCodes, dequantiseCodes, compressCodes, decompressCodes, entropyCodedRate } from './evaluate/entropyCoding';
/** Rate–distortion points (bytes per image, PSNR, SSIM): a method's PSNR at a setting, their figures. */
export { psnrOf, rateFigures } from './evaluate/ratePoint';
export type { RatePoint } from './evaluate/ratePoint';
/** Every codec at every quality on some images, as rate–distortion points. */
export { codecSweep } from './evaluate/codecSweep';
/** A code stored as a compressor would (quantised, brotli), decoded and scored; whether brotli saves. */
export { codedPoint, entropyCodingSaves } from './evaluate/codedPoint';
/** Codecs at the learned codes' rates (log-rate interpolation), and who wins where both operate. */
export { codecPsnrAt, codecsAtRates, beatsCodecWhereBothOperate } from './evaluate/rateLookup';
/** A decoder's weights in bytes, and code points with their decoder's share per image added. */
export { decoderBytes, withDecoderShare } from './evaluate/decoderBytes';

// ── plot ───────────────────────────────────────────────────────────────────────────────────────
/** Chart specifications: loss curves, code scatters, lines, bars, ROC, histograms; class colours. */
export { lossCurves, latentScatter, lineChart, barChart, rocChart, histogram, CLASS_COLOURS } from './plot/charts';
export type { Series } from './plot/charts';
/** A series along time with its labelled anomalies shaded and a score on a second axis (lesson 09). */
export { seriesChart } from './plot/seriesChart';
/** Showing charts, image rows, image grids, tables and a model's architecture in the notebook. */
export { showChart, showImages, showGrid, showTable, showArchitecture } from './plot/show';
/** Loss charts that update while train() runs: one model, or several on one chart. */
export { liveTraining, liveComparison, trainingProgress } from './plot/live';
/** Interactive figures, evaluated in the page: the latent explorer (decode under the pointer, draw and encode). */
export { showLatentExplorer } from './plot/latentExplorer';
/** A threshold slider over the test errors: precision, recall, false alarms and their chance range. */
export { showThresholdExplorer } from './plot/thresholdExplorer';
/** A 2-number code recorded after every epoch, and a slider over the epochs. */
export { recordCodes, showCodeHistory } from './plot/codeHistory';
/** PSNR against bytes per image, one line per codec or code (lesson 06). */
export { rateDistortionChart } from './plot/rateDistortion';

// ── lesson ─────────────────────────────────────────────────────────────────────────────────────
/** A lesson's first cell: backend, run line, pick/images/batch, claims, sections and figures. */
export { startLesson } from './lesson';
/** Comparisons that name their figures, for lesson.claim / claimInFullMode / outcome. */
export { below, above, allOf, judged } from './comparisons';
export type { Lesson } from './lesson';
/** The exercises' checks. */
export { check } from './exercises';
