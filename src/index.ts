/**
 * autoencoder-lessons: the shared library that every lesson imports.
 *
 *   import { setupBackend, loadFashionMnist, denseAutoencoder, train } from '../src';
 *
 * The pipeline runs data → models → train → evaluate → plot; each name below is documented
 * where it is defined.
 */
export { setupBackend, backendFromEnvironment, BACKEND_ORDER } from './backend';
export type { BackendName, BackendOptions, BackendReport } from './backend';
export { seededRandom, seededNormal, shuffledIndices, deriveSeed } from './random';

export { loadFashionMnist, FASHION_MNIST_CLASSES, DEBIAN_FASHION_MNIST_DIR } from './data/fashionMnist';
export { loadMnist, MNIST_CLASSES } from './data/mnist';
export { loadBreastCancer } from './data/breastCancer';
export { disposeDataset, IMAGE_SIZE, IMAGE_PIXELS } from './data/imageDataset';
export type { ImageDataset, ImageSplit, ImageDatasetOptions } from './data/imageDataset';
export { corrupt, describeCorruption } from './data/corruption';
export type { Corruption } from './data/corruption';

export { denseAutoencoder, overcompleteAutoencoder, DEFAULT_DENSE_AUTOENCODER_OPTIONS } from './models/dense';
export type { DenseAutoencoderOptions } from './models/dense';
export { convAutoencoder, DEFAULT_CONV_AUTOENCODER_OPTIONS } from './models/conv';
export type { ConvAutoencoderOptions } from './models/conv';
export { variationalAutoencoder, VariationalAutoencoder, DEFAULT_VAE_OPTIONS, interpolateCodes, normalQuantile } from './models/vae';
export { convVariationalAutoencoder } from './models/convVae';
export type { VaeOptions } from './models/vae';
export { Autoencoder } from './models/autoencoder';
export { Encoder, Decoder } from './models/parts';
export { keepTopK } from './models/codeTransforms';
export type { PenaltySpec } from './models/penalties';
export { contractiveNorm, klSparsity } from './models/penalties';
export { penaltyWeightFor } from './models/penaltyWeight';
export { countParameters } from './models/layers';
export { saveModel, loadModel, loadEncoder, loadDecoder } from './models/saving';
export type { TrainableModel, LossTerms } from './models/model';

export { train, evaluateLoss, historyFrame, DEFAULT_TRAIN_OPTIONS, TrainingInterrupted } from './train/train';
export type { TrainOptions, TrainHistory, EpochRow, BatchInfo } from './train/train';

export {
  encodeAll, reconstructAll, perSampleError, msePerPixel, bcePerPixel, psnr, psnrFromMse, reconstructionError, reconstructionErrors,
  reconstructionPsnr, mean, tensorMean,
} from './evaluate/reconstruction';
export { codeActivity } from './evaluate/activity';
export type { CodeActivity } from './evaluate/activity';
export { rocCurve } from './evaluate/roc';
export { quantileOf, decisionsAt, binomialRange } from './evaluate/threshold';
export type { Decisions } from './evaluate/threshold';
export { fitMahalanobis } from './evaluate/mahalanobis';
export type { RocCurve } from './evaluate/roc';
export { fitPca } from './evaluate/pca';
export type { PcaModel } from './evaluate/pca';
export { project2d } from './evaluate/projection';
export { identityGap } from './evaluate/identity';
export { codeSensitivity } from './evaluate/sensitivity';
export { nearestNeighbours, precisionAtK } from './evaluate/neighbours';
export { codecRoundTrip, encodeImage, decodeImage, payloadBytes, bitsPerPixel, CODEC_NAMES } from './evaluate/codecs';
export type { CodecName, CodecResult } from './evaluate/codecs';
export { ssim } from './evaluate/ssim';

export { startLesson } from './lesson';
export type { Lesson, LessonOptions, LessonMode } from './lesson';
export { lossCurves, lossComparison, latentScatter, lineChart, barChart, rocChart, histogram, CLASS_COLOURS, SERIES_COLOURS } from './plot/charts';
export type { Series } from './plot/charts';
export { showChart, showImages, showGrid, showTable, showArchitecture } from './plot/show';
export { liveTraining, liveComparison } from './plot/live';
export { show, LiveOutput } from './plot/display';
export type { MimeBundle, DisplaySink } from './plot/display';
export { figureBundle, figureHtml } from './plot/plotly';
export type { Figure } from './plot/plotly';
export { imageGridPng, imageRowsBundle, imageGridBundle } from './plot/images';
export { tableBundle, frameRows } from './plot/table';
export { modelSummary } from './models/summary';
export { check } from './exercises';
export type { CheckResult } from './exercises';
export { quantiseCodes, dequantiseCodes, quantiseToBytes, dequantiseBytes, compressCodes, decompressCodes, empiricalEntropy, entropyCodedRate } from './evaluate/entropyCoding';
export type { ByteCodes, EntropyCodedRate } from './evaluate/entropyCoding';
export { splitIndices, fitStandardiser } from './data/tabular';
export type { Standardiser } from './data/tabular';
