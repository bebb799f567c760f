// @ts-check
// The first free TCP port from `start` on, on `host`: npm start passes it to Jupyter and says
// when the usual one was taken (Jupyter's own port retries stay on for a race with another start).
import { createServer } from 'node:net';

/** Whether `port` can be listened on at `host`. */
export function portFree(/** @type {number} */ port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * @param {number} start @param {string} [host] @param {number} [tries]
 * @returns {Promise<number>}
 */
export async function freePort(start, host = '127.0.0.1', tries = 50) {
  for (let port = start; port < start + tries && port <= 65535; port++) {
    if (await portFree(port, host)) return port;
  }
  throw new Error(`No free port on ${host} from ${start} to ${start + tries - 1}: stop a server you no longer use, or choose one with npm start -- --port=N.`);
}

/** The port the user asked for (--port=N or --port N, also as --ServerApp.port), if any. */
export function requestedPort(/** @type {string[]} */ args) {
  for (let i = 0; i < args.length; i++) {
    const match = /^--(?:ServerApp\.|NotebookApp\.)?port(?:=(\d+))?$/.exec(args[i]);
    if (match) return Number(match[1] ?? args[i + 1]);
  }
  return undefined;
}
