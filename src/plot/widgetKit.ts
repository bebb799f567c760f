/**
 * What every interactive figure (latent explorer, threshold slider, codes over epochs) shares: the
 * static picture and sentence shown where scripts do not run. The figure's script hides them when
 * it runs, so a reader sees one or the other, never both.
 */
import { PNG } from 'pngjs';
import { escapeHtml } from './display';

/** Where an interactive figure works, and how to get it where it does not. */
/**
 * The page's side of keeping a widget's keys: a notebook's own shortcuts (in JupyterLab and
 * Notebook 7 the arrow keys move between cells) must not take the keys of a widget's slider or
 * canvas. Lumino skips its bindings for an element marked data-lm-suppress-shortcuts (the element
 * itself must carry it: a binding's selector such as ".jp-Notebook :focus" matches the focused
 * element), and the classic Notebook never sees a keydown that stops at the widget.
 */
export const KEEP_KEYS_JS = `window.aeKeepKeys = window.aeKeepKeys || function (root) {
  root.setAttribute('data-lm-suppress-shortcuts', 'true');
  root.querySelectorAll('*').forEach(function (e) { e.setAttribute('data-lm-suppress-shortcuts', 'true'); });
  root.addEventListener('keydown', function (e) { e.stopPropagation(); });
};`;

export const WIDGET_NOTE =
  'This figure is interactive where the notebook runs its scripts: a notebook you ran or saved '
  + 'yourself, or the HTML write-up (npm run report). An untrusted notebook (one you opened but did '
  + 'not run here), GitHub\'s viewer and a terminal show this static picture instead: run the cell, '
  + 'or trust the notebook (JupyterLab: Command Palette → "Trust Notebook").';

/** The static part: a PNG (base64), its caption, what the interactive figure does, and the note. */
export function staticFallback(pngBase64: string, caption: string, whatItDoes: string): string {
  return `<div class="ae-static">`
    + `<img class="ae-image" alt="${escapeHtml(caption)}" style="image-rendering:pixelated;max-width:100%" `
    + `src="data:image/png;base64,${pngBase64}"/>`
    + `<div style="font-size:12px;color:#555">${escapeHtml(caption)}.</div>`
    + `<div style="font-size:12px;color:#555;font-style:italic">${escapeHtml(whatItDoes)} `
    + `${escapeHtml(WIDGET_NOTE)}</div></div>`;
}

/** [x min, x max, y min, y max] of 2-D points, with a 5% margin. */
export function pointRange(points: number[][]): [number, number, number, number] {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const mx = 0.05 * (x1 - x0 || 1);
  const my = 0.05 * (y1 - y0 || 1);
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

function hexColour(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Scatters of 2-D points side by side as one colour PNG, each point a 3×3 dot of its class colour. */
export function scattersPng(
  panels: number[][][], labels: ArrayLike<number>, colours: readonly string[],
  range: [number, number, number, number], size = 200,
): Buffer {
  const gap = 6;
  const width = panels.length * size + (panels.length - 1) * gap;
  const png = new PNG({ width, height: size });
  png.data.fill(255);
  panels.forEach((points, p) => {
    const left = p * (size + gap);
    for (let y = 0; y < size; y++) {
      for (const x of [left, left + size - 1]) png.data.fill(200, 4 * (y * width + x), 4 * (y * width + x) + 3);
    }
    points.forEach(([px, py], i) => {
      const cx = left + Math.round(((px - range[0]) / (range[1] - range[0])) * (size - 1));
      const cy = Math.round((1 - (py - range[2]) / (range[3] - range[2])) * (size - 1));
      const [r, g, b] = hexColour(colours[labels[i] % colours.length]);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < left || x >= left + size || y < 0 || y >= size) continue;
          const at = 4 * (y * width + x);
          png.data[at] = r;
          png.data[at + 1] = g;
          png.data[at + 2] = b;
        }
      }
    });
  });
  return PNG.sync.write(png);
}
