import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'net';
import { freePort, portFree, requestedPort } from '../../scripts/jupyter/port.mjs';

test('a port in use is skipped for the next free one', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const taken = (server.address() as net.AddressInfo).port;
  try {
    assert.equal(await portFree(taken), false);
    const port = await freePort(taken);
    assert.ok(port > taken, `${port} after ${taken}`);
    assert.equal(await portFree(port), true);
  } finally {
    server.close();
  }
});

test('no free port in the range is an error that says what to do', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const taken = (server.address() as net.AddressInfo).port;
  try {
    await assert.rejects(freePort(taken, '127.0.0.1', 1), /No free port .* --port=N/);
  } finally {
    server.close();
  }
});

test('a port the user chose is left to Jupyter', () => {
  assert.equal(requestedPort(['--port=9999']), 9999);
  assert.equal(requestedPort(['--no-browser', '--port', '9000']), 9000);
  assert.equal(requestedPort(['--ServerApp.port=8000']), 8000);
  assert.equal(requestedPort(['--no-browser']), undefined);
});
