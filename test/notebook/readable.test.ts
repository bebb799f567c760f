/**
 * Lessons are projected in classrooms and exported to HTML write-ups: no code line longer than
 * MAX_LINE characters, or it runs off the projector and past the edge of the code box.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readNotebook, sourceText } from '../../scripts/notebook/runNotebook';

const MAX_LINE = 100;
const LESSONS = path.resolve(__dirname, '..', '..', 'notebooks');

test(`every code line of every lesson is at most ${MAX_LINE} characters`, () => {
  const long: string[] = [];
  for (const name of fs.readdirSync(LESSONS).filter((f) => f.endsWith('.ipynb')).sort()) {
    readNotebook(path.join(LESSONS, name)).cells.forEach((cell, c) => {
      if (cell.cell_type !== 'code') return;
      sourceText(cell).split('\n').forEach((line, l) => {
        if ([...line].length > MAX_LINE) long.push(`${name}, cell ${c + 1}, line ${l + 1}: ${[...line].length} characters`);
      });
    });
  }
  assert.deepEqual(long, [], `lines longer than ${MAX_LINE} characters:\n${long.join('\n')}`);
});

test('lessons are committed without outputs', () => {
  for (const name of fs.readdirSync(LESSONS).filter((f) => f.endsWith('.ipynb'))) {
    for (const cell of readNotebook(path.join(LESSONS, name)).cells) {
      if (cell.cell_type === 'code') assert.deepEqual(cell.outputs ?? [], [], `${name} has outputs`);
    }
  }
});
