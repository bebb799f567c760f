import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { binomialRange, decisionsAt } from '../../src/evaluate/threshold';
import { histogram, positionAt, sliderThresholds, thresholdExplorerBundle } from '../../src/plot/thresholdExplorer';
import { openWidget, skipWithoutChromium } from './widgetPage';

/** A small, fixed data set: normal scores around 1, anomalies around 3. */
function scores() {
  const normal = Array.from({ length: 80 }, (_, i) => 1 + Math.sin(i * 7.1) * 0.5);
  const anomalies = Array.from({ length: 20 }, (_, i) => 2.6 + Math.cos(i * 3.3) * 0.8);
  const validationNormal = Array.from({ length: 60 }, (_, i) => 1 + Math.sin(i * 5.3 + 1) * 0.5);
  return { validationNormal, testScores: [...normal, ...anomalies], testLabels: [...normal.map(() => 0), ...anomalies.map(() => 1)] };
}

test('each slider position holds the library\'s own decisions and chance range', () => {
  const input = { ...scores(), threshold: 1.45 };
  const t = 1.45;
  const p = positionAt(input, t);
  const d = decisionsAt(input.testScores, input.testLabels, t);
  assert.equal(p.precision, d.precision);
  assert.equal(p.recall, d.recall);
  assert.equal(p.falseAlarms, d.falsePositives);
  const rate = input.validationNormal.filter((s) => s > t).length / input.validationNormal.length;
  assert.equal(p.predictedRate, rate);
  assert.deepEqual(p.chanceRange, binomialRange(80, rate));
  const positions = sliderThresholds(input.testScores, 1.45, 30);
  assert.ok(positions.length <= 32 && positions.includes(1.45), 'thinned, with the chosen threshold');
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  assert.equal(positionAt(input, 100).precision, null, 'nothing flagged: precision undefined, not NaN in JSON');
  assert.throws(() => thresholdExplorerBundle({ ...input, testLabels: [1] }), /100 test scores but 1 labels/);
  assert.throws(() => thresholdExplorerBundle({ ...input, validationNormal: [] }), /validation set's normal scores/);
});

test('in Chromium the slider moves the threshold and the numbers are the library\'s', { skip: skipWithoutChromium, timeout: 60_000 }, async () => {
  const input = { ...scores(), threshold: 1.45 };
  const widget = await openWidget(thresholdExplorerBundle(input)['text/html'] as string, { screenshot: 'threshold-explorer.png' });
  try {
    const { page } = widget;
    const readout = page.locator('.ae-threshold-explorer div[data-position]');
    const start = await readout.innerText();
    const expected = positionAt(input, 1.45);
    assert.match(start, new RegExp(`precision ${expected.precision!.toFixed(3)}, recall ${expected.recall.toFixed(3)}`));
    assert.match(start, new RegExp(`false alarms ${expected.falseAlarms};.*chance allows ${expected.chanceRange[0]} to ${expected.chanceRange[1]}`));
    await page.locator('.ae-threshold-explorer input[type=range]').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    const moved = await page.evaluate(() => {
      const x = Object.values((window as unknown as { aeExplorers: Record<string, { position(): { threshold: number; recall: number; falseAlarms: number } }> }).aeExplorers)[0];
      return x.position();
    });
    assert.ok(moved.threshold > 1.45, 'the keys move the threshold up');
    const library = decisionsAt(input.testScores, input.testLabels, moved.threshold);
    assert.equal(moved.recall, library.recall);
    assert.equal(moved.falseAlarms, library.falsePositives);
    assert.notEqual(await readout.innerText(), start);
    assert.deepEqual(widget.errors, []);
    assert.deepEqual(widget.requests, []);
  } finally {
    await widget.close();
  }
});

test('error histograms bin on a log scale when every score is positive, else linearly', async () => {
  const skewed = [...Array.from({ length: 90 }, (_, i) => 0.01 + i * 1e-3), ...Array.from({ length: 10 }, (_, i) => 1 + i)];
  const h = histogram(skewed, skewed.map((_, i) => (i >= 90 ? 1 : 0)), 10);
  assert.equal(h.log, true);
  assert.ok(h.normal.filter((n) => n > 0).length >= 3, `normal errors spread over bins: ${h.normal}`);
  assert.equal(histogram([-1, 0, 1], [0, 0, 1], 4).log, false);
});
