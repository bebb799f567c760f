/**
 * What VS Code needs to open the lessons (it cannot run here): each notebook names the tslab
 * kernelspec and TypeScript as its language (VS Code picks the kernel from the kernelspec and the
 * cells' language from the metadata), and charts carry the plotly figure as a JSON object, which
 * VS Code's built-in renderer draws.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { figureBundle } from '../../src/plot/plotly';

const NOTEBOOKS = path.resolve(__dirname, '..', '..', 'notebooks');

test('every lesson names the tslab kernelspec and TypeScript as its language', () => {
  const files = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb'));
  assert.ok(files.length >= 9);
  for (const file of files) {
    const { metadata, nbformat } = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), 'utf8'));
    assert.equal(nbformat, 4, file);
    assert.equal(metadata.kernelspec?.name, 'tslab', `${file}: kernelspec.name`);
    assert.equal(metadata.kernelspec?.language, 'typescript', `${file}: kernelspec.language`);
    assert.equal(metadata.language_info?.name, 'typescript', `${file}: language_info.name`);
    assert.equal(metadata.language_info?.file_extension, '.ts', `${file}: language_info.file_extension`);
  }
});

test('a chart output holds the plotly figure as an object beside its HTML and text', () => {
  const bundle = figureBundle({ data: [{ type: 'scatter', y: [1] }], layout: {} }, 'one point');
  const figure = bundle['application/vnd.plotly.v1+json'] as { data: unknown[] };
  assert.ok(figure && typeof figure === 'object' && Array.isArray(figure.data), 'an object, not a string');
  assert.equal(typeof bundle['text/plain'], 'string');
});
