/** One-line display calls for lessons: showChart(lossCurves(history.rows)), showImages([...]). */
import type { DataFrame } from 'danfojs-node';
import * as tf from '@tensorflow/tfjs';
import type { Autoencoder } from '../models/autoencoder';
import type { VariationalAutoencoder } from '../models/vae';
import { architectureBundle } from './architecture';
import { DisplaySink, notebookSink, show } from './display';
import { GridOptions, ImageRow, imageGridBundle, imageRowsBundle } from './images';
import { Figure, figureBundle, figureTitle } from './plotly';
import { Row, tableBundle } from './table';

export function showChart(figure: Figure, sink: DisplaySink = notebookSink): void {
  show(figureBundle(figure, `[chart: ${figureTitle(figure)}]`), sink);
}

export function showImages(rows: ImageRow[], options: Partial<GridOptions> = {}, sink: DisplaySink = notebookSink): void {
  show(imageRowsBundle(rows, options), sink);
}

export function showGrid(images: tf.Tensor, caption: string, options: Partial<GridOptions> = {}, sink: DisplaySink = notebookSink): void {
  show(imageGridBundle(images, caption, options), sink);
}

export function showTable(table: DataFrame | Row[], options: { caption?: string; digits?: number } = {}, sink: DisplaySink = notebookSink): void {
  show(tableBundle(table, options), sink);
}

/** Draws a model's layer widths as an hourglass, the code highlighted (see ./architecture). */
export function showArchitecture(model: Autoencoder | VariationalAutoencoder, sink: DisplaySink = notebookSink): void {
  show(architectureBundle(model), sink);
}
