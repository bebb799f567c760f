/**
 * The latent explorer (lessons 01 and 05): the scatter of test codes of a model with a 2-number
 * code beside the image its decoder makes of the code under the pointer, decoded by the page from
 * the decoder's weights carried in the output (./pageNetwork). With the encoder as well, a 28×28
 * canvas to draw on: the drawing's code appears on the scatter and its reconstruction beside it.
 *
 *   showLatentExplorer(vae, testImages, testLabels, { classNames, draw: true });
 *
 * Keyboard: the scatter takes focus (Tab) and the arrow keys move its cursor. Where scripts do not
 * run (an untrusted notebook, GitHub's viewer, a terminal) the output shows a static picture — the
 * images decoded on a grid of codes over the area the test codes cover — and says how to get the
 * interactive figure.
 */
import * as crypto from 'crypto';
import * as tf from '@tensorflow/tfjs';
import type { Stack } from '../models/layers';
import { CLASS_COLOURS } from './charts';
import { DisplaySink, MimeBundle, notebookSink, show } from './display';
import { imageGridPng } from './images';
import { PAGE_NETWORK_JS, PageNetwork, PagePrecision, pageNetwork, runAsPage } from './pageNetwork';
import { staticFallback, WIDGET_NOTE, KEEP_KEYS_JS } from './widgetKit';

/** A model whose code is two numbers: a dense auto-encoder or a dense VAE. */
export interface TwoNumberCodeModel {
  encode(x: tf.Tensor): tf.Tensor2D;
  decode(code: tf.Tensor): tf.Tensor;
}

export interface LatentExplorerOptions {
  title: string;
  /** Names of the label values, for the legend. */
  classNames?: readonly string[];
  /** Also a canvas to draw on, encoded by the page (needs the encoder's weights: twice the size). */
  draw: boolean;
  /** Weights as float32 (exact to float32 rounding) or float16 (half the bytes). */
  precision: PagePrecision;
  /** At most this many test codes on the scatter (the first ones). */
  maxPoints: number;
  /** Images per side of the static picture's grid. */
  staticGrid: number;
}

export const DEFAULT_LATENT_EXPLORER_OPTIONS: LatentExplorerOptions = {
  title: 'Latent explorer', draw: false, precision: 'float32', maxPoints: 2000, staticGrid: 8,
};

/** The dense stacks behind encode (to the code, or the VAE's mean) and decode. */
export function explorerStacks(model: TwoNumberCodeModel): { encoder: Stack[]; decoder: Stack[] } {
  const m = model as unknown as {
    encoder?: Stack; decoder?: Stack; body?: Stack; meanHead?: Stack; config?: { codeTransform?: unknown };
  };
  if (m.body && m.meanHead && m.decoder) return { encoder: [m.body, m.meanHead], decoder: [m.decoder] };
  if (m.encoder && m.decoder) {
    if (m.config?.codeTransform) throw new Error('latent explorer: a model with a code transform (k-sparse, threshold) cannot be encoded by the page.');
    return { encoder: [m.encoder], decoder: [m.decoder] };
  }
  throw new Error('latent explorer: give a dense auto-encoder or a dense VAE.');
}

/** The range of each code number the scatter shows: the codes' range with 5% margin. */
function codeRange(codes: number[][]): [number, number, number, number] {
  const xs = codes.map((c) => c[0]);
  const ys = codes.map((c) => c[1]);
  const pad = (low: number, high: number): [number, number] => {
    const margin = 0.05 * (high - low || 1);
    return [low - margin, high + margin];
  };
  return [...pad(Math.min(...xs), Math.max(...xs)), ...pad(Math.min(...ys), Math.max(...ys))];
}

/** The static picture: images decoded on a grid of codes over the range (top row = highest y). */
/** The codes at the centres of a side × side grid over `range`, row by row from the top. */
function gridCodes(range: number[], side: number): number[][] {
  const [x0, x1, y0, y1] = range;
  const codes: number[][] = [];
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      codes.push([x0 + ((col + 0.5) / side) * (x1 - x0), y1 - ((row + 0.5) / side) * (y1 - y0)]);
    }
  }
  return codes;
}

function staticGridPng(model: TwoNumberCodeModel, range: number[], side: number): Buffer {
  const images = tf.tidy(() => model.decode(tf.tensor2d(gridCodes(range, side))));
  try {
    return imageGridPng(images, { columns: side, scale: 1, border: 1 });
  } finally {
    images.dispose();
  }
}

/**
 * The largest difference between what the page computes from its (float16) weights and what the
 * library computes, on the grid's codes (decoder) and on the images decoded there (encoder).
 */
export function pageError(model: TwoNumberCodeModel, networks: { decoder: PageNetwork; encoder: PageNetwork | null }, codes: number[][]): number {
  const images = tf.tidy(() => model.decode(tf.tensor2d(codes)).reshape([codes.length, -1]));
  const wantedImages = images.arraySync() as number[][];
  const wantedCodes = tf.tidy(() => model.encode(images).arraySync() as number[][]);
  images.dispose();
  let worst = 0;
  const compare = (got: Float64Array[], wanted: number[][]) => got.forEach((row, i) => row.forEach((v, j) => {
    worst = Math.max(worst, Math.abs(v - wanted[i][j]));
  }));
  compare(runAsPage(networks.decoder, codes), wantedImages);
  if (networks.encoder) compare(runAsPage(networks.encoder, wantedImages), wantedCodes);
  return worst;
}

/** The explorer as a notebook output. `codes` are (N, 2); labels colour the points. */
export function latentExplorerBundle(
  model: TwoNumberCodeModel, codes: number[][], labels: ArrayLike<number>,
  options: Partial<LatentExplorerOptions> = {},
): MimeBundle {
  const settings = { ...DEFAULT_LATENT_EXPLORER_OPTIONS, ...options };
  if (codes.length === 0 || codes.some((c) => c.length !== 2)) {
    throw new Error('latent explorer: codes must be pairs of numbers (a model with a 2-number code).');
  }
  if (labels.length !== codes.length) throw new Error(`latent explorer: ${codes.length} codes but ${labels.length} labels.`);
  const stacks = explorerStacks(model);
  const decoder = pageNetwork(stacks.decoder, settings.precision);
  if (decoder.inputs !== 2) throw new Error(`latent explorer: the decoder takes ${decoder.inputs} numbers, not 2.`);
  const side = Math.round(Math.sqrt(decoder.outputs));
  if (side * side !== decoder.outputs) throw new Error('latent explorer: the decoder must output a square grey image.');
  const shown = Math.min(settings.maxPoints, codes.length);
  const points = codes.slice(0, shown).map((c) => [Number(c[0].toPrecision(5)), Number(c[1].toPrecision(5))]);
  const range = codeRange(points);
  const data = {
    title: settings.title, side, range, points, labels: Array.from(labels).slice(0, shown),
    classNames: settings.classNames ?? [], colours: CLASS_COLOURS, decoder,
    encoder: settings.draw ? pageNetwork(stacks.encoder, settings.precision) : null,
  };
  const id = `ae-explorer-${crypto.randomBytes(6).toString('hex')}`;
  const png = staticGridPng(model, range, settings.staticGrid).toString('base64');
  const halfError = settings.precision === 'float16' ? pageError(model, data, gridCodes(range, settings.staticGrid)) : undefined;
  const what = `${settings.title}: move the pointer over the ${shown} test codes to see the image the decoder makes of the code under it`
    + (settings.draw ? '; draw a digit to see its code and its reconstruction.' : '.')
    + (halfError === undefined ? '' : ` Its weights are stored as float16: what it computes differs from the library by at most ${halfError.toPrecision(2)} (measured on the grid of the static picture).`);
  if (halfError !== undefined) data.title = `${settings.title} (float16 weights: within ${halfError.toPrecision(2)} of the library)`;
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const html = `<div id="${id}" class="ae-widget ae-latent-explorer" style="font-family:sans-serif;font-size:13px">`
    + staticFallback(png, `Images decoded on a ${settings.staticGrid}×${settings.staticGrid} grid of codes`, what)
    + `<script>${PAGE_NETWORK_JS}\n${KEEP_KEYS_JS}\n${LATENT_EXPLORER_JS}\n;window.aeLatentExplorer(${JSON.stringify(id)}, ${json});</script></div>`;
  return {
    'text/html': html,
    'image/png': png,
    'text/plain': `${what}\n${WIDGET_NOTE}\n(Static picture: images decoded on a grid of codes.)`,
  };
}

/**
 * Shows the explorer for `model` (a 2-number code) on the images `x`, coloured by `labels`: one call
 * in a lesson's cell.
 */
export function showLatentExplorer(
  model: TwoNumberCodeModel, x: tf.Tensor, labels: ArrayLike<number>,
  options: Partial<LatentExplorerOptions> = {}, sink: DisplaySink = notebookSink,
): void {
  const count = Math.min(options.maxPoints ?? DEFAULT_LATENT_EXPLORER_OPTIONS.maxPoints, x.shape[0]);
  const codes = tf.tidy(() => model.encode(x.slice(0, count)));
  const values = codes.arraySync() as number[][];
  codes.dispose();
  show(latentExplorerBundle(model, values, Array.from(labels).slice(0, count), options), sink);
}

/** The page's side of the explorer (plain JavaScript; uses window.aeNetwork). */
export const LATENT_EXPLORER_JS = `window.aeLatentExplorer = window.aeLatentExplorer || function (id, d) {
  var root = document.getElementById(id); if (!root) return;
  var fallback = root.querySelector('.ae-static'); if (fallback) fallback.style.display = 'none';
  var net = window.aeNetwork, decoder = net.load(d.decoder), encoder = d.encoder ? net.load(d.encoder) : null;
  var S = 320, Z = 6, side = d.side, r = d.range;
  function el(tag, css, text) { var e = document.createElement(tag); if (css) e.style.cssText = css; if (text) e.textContent = text; return e; }
  var box = el('div', 'display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap');
  var left = el('div'), right = el('div');
  left.appendChild(el('div', 'font-weight:bold;margin-bottom:4px', d.title));
  var scatter = el('canvas', 'border:1px solid #ccc;cursor:crosshair;touch-action:none'); scatter.width = S; scatter.height = S;
  scatter.tabIndex = 0; scatter.setAttribute('role', 'application');
  scatter.setAttribute('aria-label', 'Code plane: move the pointer, or focus and use the arrow keys, to decode a code');
  left.appendChild(scatter);
  var legend = el('div', 'max-width:' + S + 'px;font-size:11px;margin-top:4px');
  d.classNames.forEach(function (name, c) { var s = el('span', 'margin-right:8px;white-space:nowrap');
    var dot = el('span', 'display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:3px;background:' + d.colours[c % d.colours.length]);
    s.appendChild(dot); s.appendChild(document.createTextNode(name)); legend.appendChild(s); });
  left.appendChild(legend);
  var image = el('canvas', 'border:1px solid #ccc;image-rendering:pixelated'); image.width = side * Z; image.height = side * Z;
  var readout = el('div', 'font-family:monospace;margin:4px 0', '');
  right.appendChild(el('div', 'font-weight:bold;margin-bottom:4px', 'decoded at the cursor')); right.appendChild(image); right.appendChild(readout);
  box.appendChild(left); box.appendChild(right);
  var pad, padCtx, rebuilt, drawn = null;
  if (encoder) {
    var drawBox = el('div');
    drawBox.appendChild(el('div', 'font-weight:bold;margin-bottom:4px', 'draw here'));
    pad = el('canvas', 'border:1px solid #ccc;cursor:crosshair;touch-action:none;background:#000'); pad.width = side * Z; pad.height = side * Z;
    pad.setAttribute('aria-label', 'Drawing pad: draw with the mouse or a finger');
    drawBox.appendChild(pad);
    var clear = el('button', 'display:block;margin-top:4px', 'clear'); drawBox.appendChild(clear);
    drawBox.appendChild(el('div', 'font-weight:bold;margin:8px 0 4px', 'its reconstruction'));
    rebuilt = el('canvas', 'border:1px solid #ccc;image-rendering:pixelated'); rebuilt.width = side * Z; rebuilt.height = side * Z;
    drawBox.appendChild(rebuilt); box.appendChild(drawBox);
  }
  root.appendChild(box);
  var ctx = scatter.getContext('2d');
  function toPixel(x, y) { return [(x - r[0]) / (r[1] - r[0]) * S, (1 - (y - r[2]) / (r[3] - r[2])) * S]; }
  function toCode(px, py) { return [r[0] + px / S * (r[1] - r[0]), r[2] + (1 - py / S) * (r[3] - r[2])]; }
  function paint(canvas, pixels) {
    var c = canvas.getContext('2d'), img = c.createImageData(side, side);
    for (var i = 0; i < side * side; i++) { var v = Math.max(0, Math.min(255, Math.round(pixels[i] * 255)));
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255; }
    var tmp = document.createElement('canvas'); tmp.width = side; tmp.height = side; tmp.getContext('2d').putImageData(img, 0, 0);
    c.imageSmoothingEnabled = false; c.drawImage(tmp, 0, 0, canvas.width, canvas.height);
  }
  var cursor = [(r[0] + r[1]) / 2, (r[2] + r[3]) / 2];
  function drawScatter() {
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, S, S);
    for (var i = 0; i < d.points.length; i++) { var p = toPixel(d.points[i][0], d.points[i][1]);
      ctx.fillStyle = d.colours[d.labels[i] % d.colours.length]; ctx.globalAlpha = 0.6; ctx.fillRect(p[0] - 1.5, p[1] - 1.5, 3, 3); }
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#555'; ctx.font = '10px sans-serif'; ctx.textAlign = 'left';
    ctx.fillText(r[3].toPrecision(3), 2, 10); ctx.fillText(r[2].toPrecision(3), 2, S - 14);
    ctx.fillText(r[0].toPrecision(3), 2, S - 3); ctx.textAlign = 'right'; ctx.fillText(r[1].toPrecision(3), S - 2, S - 3);
    ctx.textAlign = 'left';
    var c = toPixel(cursor[0], cursor[1]);
    ctx.strokeStyle = '#000'; ctx.beginPath(); ctx.moveTo(c[0] - 8, c[1]); ctx.lineTo(c[0] + 8, c[1]); ctx.moveTo(c[0], c[1] - 8); ctx.lineTo(c[0], c[1] + 8); ctx.stroke();
    if (drawn) { var q = toPixel(drawn[0], drawn[1]); ctx.fillStyle = '#000'; ctx.beginPath(); ctx.arc(q[0], q[1], 5, 0, 2 * Math.PI); ctx.fill();
      ctx.fillStyle = '#fff'; ctx.beginPath(); ctx.arc(q[0], q[1], 2.5, 0, 2 * Math.PI); ctx.fill(); }
  }
  function decodeAt(x, y) { return net.run(decoder, [x, y]); }
  function update() { drawScatter(); paint(image, decodeAt(cursor[0], cursor[1]));
    readout.textContent = 'code (' + cursor[0].toFixed(3) + ', ' + cursor[1].toFixed(3) + ')' + (drawn ? '; drawing at (' + drawn[0].toFixed(3) + ', ' + drawn[1].toFixed(3) + ')' : ''); }
  function pointer(e) { var b = scatter.getBoundingClientRect(); cursor = toCode((e.clientX - b.left) * S / b.width, (e.clientY - b.top) * S / b.height); update(); }
  scatter.addEventListener('pointermove', pointer); scatter.addEventListener('pointerdown', pointer);
  scatter.addEventListener('keydown', function (e) { var dx = (r[1] - r[0]) / 50, dy = (r[3] - r[2]) / 50;
    if (e.key === 'ArrowLeft') cursor[0] -= dx; else if (e.key === 'ArrowRight') cursor[0] += dx;
    else if (e.key === 'ArrowUp') cursor[1] += dy; else if (e.key === 'ArrowDown') cursor[1] -= dy; else return;
    e.preventDefault(); update(); });
  var ink = new Float64Array(side * side);
  function encodeInk() { if (!encoder) return null; drawn = net.run(encoder, ink); paint(rebuilt, decodeAt(drawn[0], drawn[1])); update(); return drawn; }
  if (pad) {
    var down = false;
    var stroke = function (e) { if (!down) return; var b = pad.getBoundingClientRect();
      var x = (e.clientX - b.left) / b.width * side, y = (e.clientY - b.top) / b.height * side;
      for (var yy = Math.floor(y - 2); yy <= Math.ceil(y + 2); yy++) for (var xx = Math.floor(x - 2); xx <= Math.ceil(x + 2); xx++) {
        if (xx < 0 || yy < 0 || xx >= side || yy >= side) continue;
        var dist = Math.hypot(xx + 0.5 - x, yy + 0.5 - y), v = Math.max(0, Math.min(1, 1.6 - dist));
        ink[yy * side + xx] = Math.max(ink[yy * side + xx], v); }
      paint(pad, ink); encodeInk(); };
    pad.addEventListener('pointerdown', function (e) { down = true; pad.setPointerCapture && pad.setPointerCapture(e.pointerId); stroke(e); });
    pad.addEventListener('pointermove', stroke);
    pad.addEventListener('pointerup', function () { down = false; });
    clear.addEventListener('click', function () { ink.fill(0); drawn = null; paint(pad, ink); paint(rebuilt, ink); update(); });
    paint(pad, ink); paint(rebuilt, ink);
  }
  update();
  window.aeKeepKeys(root);
  window.aeExplorers = window.aeExplorers || {};
  window.aeExplorers[id] = { decodeAt: decodeAt, encode: function (pixels) { return encoder ? net.run(encoder, pixels) : null; },
    cursor: function () { return cursor.slice(); }, imageCanvas: image, setInk: function (pixels) { ink.set(pixels); if (pad) paint(pad, ink); return encodeInk(); } };
};`;
