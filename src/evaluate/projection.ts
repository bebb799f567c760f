/**
 * Flattens wide codes to 2-D for a scatter plot (lesson 01): PCA (linear, fast, deterministic) or
 * UMAP (McInnes et al. 2018; umap-js), which keeps neighbourhoods and separates clusters better.
 */
import * as tf from '@tensorflow/tfjs';
import { UMAP } from 'umap-js';
import { seededRandom } from '../random';
import { fitPca } from './pca';

export type ProjectionMethod = 'pca' | 'umap';

export interface ProjectionOptions {
  method: ProjectionMethod;
  /** Seed of UMAP's random initialisation and sampling. Default 0. */
  seed: number;
  /** UMAP neighbours: larger keeps more global structure. Default 15. */
  neighbors: number;
  /** UMAP minimum distance between embedded points. Default 0.1. */
  minDist: number;
}

export const DEFAULT_PROJECTION_OPTIONS: ProjectionOptions = { method: 'pca', seed: 0, neighbors: 15, minDist: 0.1 };

/** (N, d) codes → N points [x, y]. Codes that are already 2-D are returned as they are. */
export function project2d(codes: tf.Tensor2D, options: Partial<ProjectionOptions> = {}): number[][] {
  const settings = { ...DEFAULT_PROJECTION_OPTIONS, ...options };
  if (codes.rank !== 2) throw new Error(`project2d expects codes (samples, dims), got (${codes.shape.join(', ')}).`);
  if (codes.shape[1] === 2) return codes.arraySync();
  if (settings.method === 'pca') {
    const pca = fitPca(codes, 2);
    const projected = pca.project(codes);
    const points = projected.arraySync();
    projected.dispose();
    pca.dispose();
    return points;
  }
  if (settings.method === 'umap') {
    if (codes.shape[0] <= settings.neighbors) throw new Error(`project2d umap: needs more samples (${codes.shape[0]}) than neighbors (${settings.neighbors}).`);
    const umap = new UMAP({ nComponents: 2, nNeighbors: settings.neighbors, minDist: settings.minDist, random: seededRandom(settings.seed) });
    return umap.fit(codes.arraySync());
  }
  throw new Error(`project2d: method must be 'pca' or 'umap', got ${String(settings.method)}.`);
}
