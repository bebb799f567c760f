/**
 * A picture of a model drawn from the model itself: every stage (input, each layer's output, the
 * code, the output) as a bar whose height grows with the number of values it holds per image,
 * joined into the hourglass the seed article draws. The code is highlighted. Works for the dense
 * and convolutional auto-encoders and the VAE (whose encoder ends in μ and log σ²).
 *
 *   showArchitecture(ae);
 */
import { Autoencoder } from '../models/autoencoder';
import { LayerSpec } from '../models/layers';
import { VariationalAutoencoder } from '../models/vae';
import { escapeHtml, MimeBundle } from './display';

export interface Stage {
  /** What the stage is: 'input', 'dense, relu', 'code', ... */
  label: string;
  /** Its shape per image, e.g. [784] or [14, 14, 16]. */
  shape: number[];
  /** True for the code. */
  code?: boolean;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The shape after one layer, from its spec. */
function after(spec: LayerSpec, shape: number[]): number[] {
  switch (spec.type) {
    case 'dense':
      return [spec.units];
    case 'conv2d':
      return [Math.ceil(shape[0] / spec.strides), Math.ceil(shape[1] / spec.strides), spec.filters];
    case 'conv2dTranspose':
      return [shape[0] * spec.strides, shape[1] * spec.strides, spec.filters];
    case 'flatten':
      return [size(shape)];
    case 'reshape':
      return [...spec.shape];
    case 'lstm':
      return spec.returnSequences ? [shape[0], spec.units] : [spec.units];
    case 'repeat':
      return [spec.times, ...shape];
    case 'timeDense':
      return [shape[0], spec.units];
    case 'conv1d':
      return [Math.ceil(shape[0] / spec.strides), spec.filters];
    case 'conv1dTranspose':
      return [shape[0] * spec.strides, spec.filters];
  }
}

function stageLabel(spec: LayerSpec): string {
  switch (spec.type) {
    case 'dense':
      return `dense, ${spec.activation}`;
    case 'conv2d':
      return `conv ${spec.kernelSize}×${spec.kernelSize} /${spec.strides}, ${spec.activation}`;
    case 'conv2dTranspose':
      return `conv-transpose ×${spec.strides}, ${spec.activation}`;
    case 'flatten':
      return 'flatten';
    case 'reshape':
      return 'reshape';
    case 'lstm':
      return spec.returnSequences ? 'LSTM, every step' : 'LSTM, last state';
    case 'repeat':
      return 'repeat';
    case 'timeDense':
      return `dense per step, ${spec.activation}`;
    case 'conv1d':
      return `conv1d ${spec.kernelSize} /${spec.strides}, ${spec.activation}`;
    case 'conv1dTranspose':
      return `conv1d-transpose ×${spec.strides}, ${spec.activation}`;
  }
}

/** The stages of a stack of layers applied to `shape`; flatten and reshape are not stages of their own. */
function stackStages(specs: LayerSpec[], shape: number[], lastIsCode: boolean): { stages: Stage[]; shape: number[] } {
  const stages: Stage[] = [];
  specs.forEach((spec, i) => {
    shape = after(spec, shape);
    if (spec.type === 'flatten' || spec.type === 'reshape') return;
    const code = lastIsCode && i === specs.length - 1;
    stages.push({ label: code ? `code (${stageLabel(spec)})` : stageLabel(spec), shape, code });
  });
  return { stages, shape };
}

/** The stages of a model, input to output. */
export function modelStages(model: Autoencoder | VariationalAutoencoder): Stage[] {
  const input: Stage = { label: 'input', shape: [...model.inputShape] };
  if (model instanceof VariationalAutoencoder) {
    const body = stackStages(model.body.specs, [...model.inputShape], false);
    const heads: Stage = { label: 'μ and log σ²', shape: [2, model.latent] };
    const z: Stage = { label: 'code z = μ + σ·ε', shape: [model.latent], code: true };
    const decoder = stackStages(model.decoder.specs, [model.latent], false);
    decoder.stages[decoder.stages.length - 1].label = `output (${decoder.stages[decoder.stages.length - 1].label})`;
    return [input, ...body.stages, heads, z, ...decoder.stages];
  }
  const encoder = stackStages(model.encoder.specs, [...model.inputShape], true);
  const decoder = stackStages(model.decoder.specs, encoder.shape, false);
  decoder.stages[decoder.stages.length - 1].label = `output (${decoder.stages[decoder.stages.length - 1].label})`;
  return [input, ...encoder.stages, ...decoder.stages];
}

const WIDTH_PER_STAGE = 110;
const MAX_BAR = 220;
const MIN_BAR = 6;
const TOP = 20;

/** An SVG of the stages: bar heights ∝ √(values per image), the code in colour. */
export function architectureSvg(stages: Stage[], title: string): string {
  const largest = Math.max(...stages.map((s) => size(s.shape)));
  const height = (s: Stage) => Math.max(MIN_BAR, MAX_BAR * Math.sqrt(size(s.shape) / largest));
  const middle = TOP + MAX_BAR / 2;
  const width = WIDTH_PER_STAGE * stages.length + 20;
  const parts: string[] = [];
  stages.forEach((stage, i) => {
    const x = 10 + i * WIDTH_PER_STAGE + WIDTH_PER_STAGE / 2;
    const h = height(stage);
    if (i > 0) {
      const px = x - WIDTH_PER_STAGE;
      const ph = height(stages[i - 1]);
      parts.push(
        `<polygon points="${px + 9},${middle - ph / 2} ${x - 9},${middle - h / 2} ${x - 9},${middle + h / 2} ${px + 9},${middle + ph / 2}" fill="#dde6f0"/>`,
      );
    }
    const fill = stage.code ? '#d55e00' : '#0072b2';
    parts.push(`<rect x="${x - 9}" y="${middle - h / 2}" width="18" height="${h}" fill="${fill}"/>`);
    const shape = stage.shape.length > 1 ? `${stage.shape.join('×')} = ${size(stage.shape)}` : `${stage.shape[0]}`;
    parts.push(`<text x="${x}" y="${TOP + MAX_BAR + 18}" text-anchor="middle" font-size="12" font-weight="${stage.code ? 'bold' : 'normal'}">${escapeHtml(shape)}</text>`);
    parts.push(`<text x="${x}" y="${TOP + MAX_BAR + 34}" text-anchor="middle" font-size="10" fill="#555">${escapeHtml(stage.label)}</text>`);
  });
  const svgHeight = TOP + MAX_BAR + 44;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${svgHeight}" viewBox="0 0 ${width} ${svgHeight}" font-family="sans-serif">` +
    `<text x="10" y="14" font-size="13" font-weight="bold">${escapeHtml(title)}</text>${parts.join('')}</svg>`
  );
}

/** The architecture picture as a notebook output. */
export function architectureBundle(model: Autoencoder | VariationalAutoencoder): MimeBundle {
  const stages = modelStages(model);
  const svg = architectureSvg(stages, `${model.name}: values per image at each stage (bar height ∝ √count)`);
  return {
    'image/svg+xml': svg,
    'text/html': `<div class="ae-architecture">${svg}</div>`,
    'text/plain': `${model.name}: ${stages.map((s) => `${s.code ? '[' : ''}${size(s.shape)}${s.code ? ']' : ''}`).join(' → ')}`,
  };
}
