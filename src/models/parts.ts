/**
 * An encoder or a decoder on its own, taken out of a trained auto-encoder: after training only the
 * encoder is kept to encode new data (the article's last training step), and a decoder alone
 * decompresses codes (lesson 06). Both can be saved to and loaded from a directory (./saving).
 */
import * as tf from '@tensorflow/tfjs';
import { applyCodeTransform, CodeTransform } from './codeTransforms';
import { Stack } from './layers';
import { checkInputShape } from './model';

export class Encoder {
  readonly name = 'encoder';
  constructor(readonly stack: Stack, readonly inputShape: readonly number[], readonly codeTransform?: CodeTransform) {}

  static copyOf(stack: Stack, inputShape: readonly number[], codeTransform?: CodeTransform): Encoder {
    return new Encoder(stack.standalone(), inputShape, codeTransform);
  }

  /** x (B, ...input) → code (B, units). */
  encode(x: tf.Tensor): tf.Tensor2D {
    checkInputShape(this, x);
    return tf.tidy(() => applyCodeTransform(this.stack.apply(x), this.codeTransform) as tf.Tensor2D);
  }

  dispose(): void {
    this.stack.dispose();
  }
}

export class Decoder {
  readonly name = 'decoder';
  constructor(readonly stack: Stack, readonly inputShape: readonly number[], readonly outputShape: readonly number[]) {}

  static copyOf(stack: Stack, codeShape: readonly number[], outputShape: readonly number[]): Decoder {
    return new Decoder(stack.standalone(), codeShape, outputShape);
  }

  /** code (B, units) → x̂ (B, ...output). */
  decode(code: tf.Tensor): tf.Tensor {
    checkInputShape(this, code, 'code');
    return tf.tidy(() => this.stack.apply(code));
  }

  dispose(): void {
    this.stack.dispose();
  }
}
