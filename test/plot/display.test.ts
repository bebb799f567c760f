import { test, mock } from 'node:test';
import * as assert from 'node:assert/strict';
import { DisplaySink, escapeHtml, LiveOutput, MimeBundle, notebookSink, show } from '../../src/plot/display';

function recordingSink(): { sink: DisplaySink; calls: { bundle: MimeBundle; id?: string; update: boolean }[] } {
  const calls: { bundle: MimeBundle; id?: string; update: boolean }[] = [];
  return { calls, sink: (bundle, id, update) => calls.push({ bundle, id, update }) };
}

test('escapeHtml escapes the five special characters and nothing else', () => {
  assert.equal(escapeHtml(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  assert.equal(escapeHtml('σ² → 0.5'), 'σ² → 0.5');
});

test('show sends one new output, with no display id', () => {
  const { sink, calls } = recordingSink();
  show({ 'text/plain': 'hello' }, sink);
  assert.deepEqual(calls, [{ bundle: { 'text/plain': 'hello' }, id: undefined, update: false }]);
});

test('a LiveOutput is shown once, then updated in place under the same display id', () => {
  const { sink, calls } = recordingSink();
  const first = new LiveOutput(sink);
  const second = new LiveOutput(sink);
  first.update({ 'text/plain': 'a' });
  first.update({ 'text/plain': 'b' });
  second.update({ 'text/plain': 'c' });
  assert.deepEqual(calls.map((c) => [c.bundle['text/plain'], c.update]), [['a', false], ['b', true], ['c', false]]);
  assert.equal(calls[0].id, first.displayId);
  assert.equal(calls[1].id, first.displayId);
  assert.equal(calls[2].id, second.displayId);
  assert.notEqual(first.displayId, second.displayId);
  assert.match(first.displayId, /^[0-9a-f]{16}$/);
});

test('outside a notebook the default sink prints the plain text', () => {
  const log = mock.method(console, 'log', () => {});
  try {
    notebookSink({ 'text/plain': 'epoch 1/2', 'text/html': '<b>epoch 1/2</b>' }, 'some-id', true);
    show({ 'text/plain': 'a table' });
    assert.deepEqual(log.mock.calls.map((c) => c.arguments), [['epoch 1/2'], ['a table']]);
  } finally {
    log.mock.restore();
  }
});
