/** A table of a model's layers: what each does to the shape, and how many numbers it learns. */
import { LayerSpec, Stack } from './layers';

export interface LayerRow {
  [key: string]: string | number;
  part: string;
  layer: string;
  output: string;
  parameters: number;
}

function layerDescription(spec: LayerSpec): { layer: string; output: string } {
  switch (spec.type) {
    case 'dense':
      return { layer: `dense ${spec.inputs}→${spec.units}, ${spec.activation}`, output: `(batch, ${spec.units})` };
    case 'conv2d':
      return { layer: `conv ${spec.kernelSize}×${spec.kernelSize}, stride ${spec.strides}, ${spec.filters} filters, ${spec.activation}`, output: `÷${spec.strides} size, ${spec.filters} channels` };
    case 'conv2dTranspose':
      return { layer: `conv-transpose ${spec.kernelSize}×${spec.kernelSize}, stride ${spec.strides}, ${spec.filters} filters, ${spec.activation}`, output: `×${spec.strides} size, ${spec.filters} channels` };
    case 'flatten':
      return { layer: 'flatten', output: '(batch, features)' };
    case 'reshape':
      return { layer: `reshape to ${spec.shape.join('×')}`, output: `(batch, ${spec.shape.join(', ')})` };
    case 'lstm':
      return { layer: `LSTM ${spec.inputs}→${spec.units}${spec.returnSequences ? ', every step' : ', last state'}`, output: spec.returnSequences ? `(batch, time, ${spec.units})` : `(batch, ${spec.units})` };
    case 'repeat':
      return { layer: `repeat ${spec.times} times`, output: `(batch, ${spec.times}, n)` };
    case 'timeDense':
      return { layer: `dense ${spec.inputs}→${spec.units} at each step, ${spec.activation}`, output: `(batch, time, ${spec.units})` };
    case 'conv1d':
      return { layer: `conv1d ${spec.kernelSize}, stride ${spec.strides}, ${spec.filters} filters, ${spec.activation}`, output: `÷${spec.strides} steps, ${spec.filters} channels` };
    case 'conv1dTranspose':
      return { layer: `conv1d-transpose ${spec.kernelSize}, stride ${spec.strides}, ${spec.filters} filters, ${spec.activation}`, output: `×${spec.strides} steps, ${spec.filters} channels` };
  }
}

/** One row per layer of the given stacks, e.g. modelSummary({ encoder: ae.encoder, decoder: ae.decoder }). */
export function modelSummary(stacks: Record<string, Stack>): LayerRow[] {
  return Object.entries(stacks).flatMap(([part, stack]) =>
    stack.layers.map((layer) => ({
      part,
      ...layerDescription(layer.spec),
      parameters: Object.values(layer.weights).reduce((n, w) => n + w.size, 0),
    })),
  );
}
