/**
 * Codes as training goes (lesson 05): the codes of a few hundred test images recorded after every
 * epoch, then a slider (and a play button) over the epochs shows the code scatter forming.
 *
 *   const codes = recordCodes(vae, testImages, { maxPoints: 500 });   // records epoch 0 now
 *   await train(vae, x, { ...options, callbacks: [codes, live] });    // and after every epoch
 *   showCodeHistory(codes, testLabels, { classNames });
 *
 * Where scripts do not run, the output shows the first, a middle and the last epoch side by side.
 */
import * as crypto from 'crypto';
import * as tf from '@tensorflow/tfjs';
import { CLASS_COLOURS } from './charts';
import { DisplaySink, MimeBundle, notebookSink, show } from './display';
import type { TwoNumberCodeModel } from './latentExplorer';
import type { EpochRow, TrainingCallbacks } from '../train/train';
import { pointRange, scattersPng, staticFallback, WIDGET_NOTE, KEEP_KEYS_JS } from './widgetKit';

export interface CodeFrame {
  epoch: number;
  codes: number[][];
}

/** Records a model's 2-number codes of fixed images, epoch by epoch: give it to train() as a callback. */
export class CodeRecorder implements TrainingCallbacks {
  readonly frames: CodeFrame[] = [];

  constructor(private readonly model: TwoNumberCodeModel, private readonly images: tf.Tensor) {}

  /** Records the codes the model gives now, as epoch `epoch`. */
  record(epoch: number): void {
    const codes = tf.tidy(() => this.model.encode(this.images));
    const values = codes.arraySync() as number[][];
    codes.dispose();
    if (values[0]?.length !== 2) throw new Error(`recordCodes: the model's code has ${values[0]?.length} numbers, not 2.`);
    this.frames.push({ epoch, codes: values.map(([x, y]) => [Number(x.toPrecision(4)), Number(y.toPrecision(4))]) });
  }

  /** train() calls this after every epoch: records the codes then. */
  onEpochEnd = (row: EpochRow): void => {
    this.record(row.epoch);
  };

  /** Releases the images it kept. */
  dispose(): void {
    this.images.dispose();
  }
}

/** A recorder of `model`'s codes of the first `maxPoints` images of `x`; records epoch 0 at once. */
export function recordCodes(model: TwoNumberCodeModel, x: tf.Tensor, options: { maxPoints?: number } = {}): CodeRecorder {
  const count = Math.min(options.maxPoints ?? 500, x.shape[0]);
  if (!(count > 0)) throw new Error('recordCodes: give at least one image and maxPoints > 0.');
  const recorder = new CodeRecorder(model, tf.keep(x.slice(0, count)));
  recorder.record(0);
  return recorder;
}

export interface CodeHistoryOptions {
  title?: string;
  classNames?: readonly string[];
}

/**
 * The plane every frame is drawn in: the central 98% of all frames' codes on each axis (with a
 * margin), so that a few far codes of one epoch do not squeeze the others into a corner.
 */
export function robustRange(points: number[][]): [number, number, number, number] {
  const quantile = (values: number[], q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))];
  const xs = points.map((p) => p[0]).sort((a, b) => a - b);
  const ys = points.map((p) => p[1]).sort((a, b) => a - b);
  return pointRange([[quantile(xs, 0.01), quantile(ys, 0.01)], [quantile(xs, 0.99), quantile(ys, 0.99)]]);
}

/** The slider over epochs as a notebook output. */
export function codeHistoryBundle(frames: CodeFrame[], labels: ArrayLike<number>, options: CodeHistoryOptions = {}): MimeBundle {
  if (frames.length === 0) throw new Error('code history: no epochs recorded.');
  const count = frames[0].codes.length;
  if (labels.length < count) throw new Error(`code history: ${count} codes but ${labels.length} labels.`);
  const title = options.title ?? 'Codes as training goes';
  const range = robustRange(frames.flatMap((f) => f.codes));
  const shownLabels = Array.from(labels).slice(0, count);
  const picks = [...new Set([0, Math.floor((frames.length - 1) / 2), frames.length - 1])];
  const png = scattersPng(picks.map((i) => frames[i].codes), shownLabels, CLASS_COLOURS, range).toString('base64');
  const caption = `Codes of ${count} test images after epochs ${picks.map((i) => frames[i].epoch).join(', ')}`;
  const what = `${title}: drag the slider, or press play, to watch the codes of ${count} test images move epoch by epoch.`;
  const data = { title, frames, labels: shownLabels, range, colours: CLASS_COLOURS, classNames: options.classNames ?? [] };
  const id = `ae-codes-${crypto.randomBytes(6).toString('hex')}`;
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return {
    'text/html': `<div id="${id}" class="ae-widget ae-code-history" style="font-family:sans-serif;font-size:13px">`
      + staticFallback(png, caption, what)
      + `<script>${KEEP_KEYS_JS}\n${CODE_HISTORY_JS}\n;window.aeCodeHistory(${JSON.stringify(id)}, ${json});</script></div>`,
    'image/png': png,
    'text/plain': `${what}\n${WIDGET_NOTE}`,
  };
}

export function showCodeHistory(
  recorder: CodeRecorder, labels: ArrayLike<number>, options: CodeHistoryOptions = {}, sink: DisplaySink = notebookSink,
): void {
  show(codeHistoryBundle(recorder.frames, labels, options), sink);
}

/** The page's side (plain JavaScript). */
export const CODE_HISTORY_JS = `window.aeCodeHistory = window.aeCodeHistory || function (id, d) {
  var root = document.getElementById(id); if (!root) return;
  var fallback = root.querySelector('.ae-static'); if (fallback) fallback.style.display = 'none';
  function el(tag, css, text) { var e = document.createElement(tag); if (css) e.style.cssText = css; if (text) e.textContent = text; return e; }
  var S = 320, r = d.range;
  root.appendChild(el('div', 'font-weight:bold;margin-bottom:4px', d.title));
  var canvas = el('canvas', 'border:1px solid #ccc;display:block'); canvas.width = S; canvas.height = S; root.appendChild(canvas);
  var controls = el('div', 'display:flex;gap:8px;align-items:center;margin-top:4px');
  var play = el('button', '', 'play'); var slider = el('input', 'width:' + (S - 60) + 'px');
  slider.type = 'range'; slider.min = 0; slider.max = d.frames.length - 1; slider.step = 1; slider.value = d.frames.length - 1;
  slider.setAttribute('aria-label', 'Epoch');
  var label = el('span', 'font-family:monospace'); controls.appendChild(play); controls.appendChild(slider); controls.appendChild(label); root.appendChild(controls);
  var legend = el('div', 'max-width:' + S + 'px;font-size:11px;margin-top:4px');
  d.classNames.forEach(function (name, c) { var s = el('span', 'margin-right:8px;white-space:nowrap');
    s.appendChild(el('span', 'display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:3px;background:' + d.colours[c % d.colours.length]));
    s.appendChild(document.createTextNode(name)); legend.appendChild(s); });
  root.appendChild(legend);
  function draw() {
    var f = d.frames[Number(slider.value)], c = canvas.getContext('2d'); c.fillStyle = '#fff'; c.fillRect(0, 0, S, S);
    for (var i = 0; i < f.codes.length; i++) { var x = (f.codes[i][0] - r[0]) / (r[1] - r[0]) * S, y = (1 - (f.codes[i][1] - r[2]) / (r[3] - r[2])) * S;
      c.fillStyle = d.colours[d.labels[i] % d.colours.length]; c.globalAlpha = 0.7; c.fillRect(x - 1.5, y - 1.5, 3, 3); }
    c.globalAlpha = 1; c.fillStyle = '#555'; c.font = '10px sans-serif'; c.textAlign = 'left';
    c.fillText(r[3].toPrecision(3), 2, 10); c.fillText(r[2].toPrecision(3), 2, S - 14); c.fillText(r[0].toPrecision(3), 2, S - 3);
    c.textAlign = 'right'; c.fillText(r[1].toPrecision(3), S - 2, S - 3); c.textAlign = 'left';
    label.textContent = 'epoch ' + f.epoch; label.setAttribute('data-epoch', f.epoch);
  }
  var timer = null;
  play.addEventListener('click', function () {
    if (timer) { clearInterval(timer); timer = null; play.textContent = 'play'; return; }
    if (Number(slider.value) === d.frames.length - 1) slider.value = 0;
    play.textContent = 'pause'; draw();
    timer = setInterval(function () { if (Number(slider.value) >= d.frames.length - 1) { clearInterval(timer); timer = null; play.textContent = 'play'; return; }
      slider.value = Number(slider.value) + 1; draw(); }, 400);
  });
  slider.addEventListener('input', draw); draw();
  window.aeKeepKeys(root);
  window.aeExplorers = window.aeExplorers || {};
  window.aeExplorers[id] = { slider: slider, epoch: function () { return d.frames[Number(slider.value)].epoch; } };
};`;
