/**
 * A minimal Jupyter client for the tslab kernel, speaking the Jupyter messaging protocol over
 * ZeroMQ with the zeromq package tslab itself depends on: no Python, no Jupyter server.
 *
 *   const kernel = await TslabKernel.start({ cwd: 'notebooks' });
 *   const result = await kernel.execute('1 + 1');    // outputs, status, stderr text
 *   await kernel.shutdown();
 *
 * The kernel dies with the process that started it, even one killed with SIGKILL: tslab runs with
 * kernel-watchdog.js preloaded, which ends the kernel when its lifeline pipe from us closes.
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zmq from 'zeromq';

const DELIMITER = '<IDS|MSG>';
const PROTOCOL_VERSION = '5.3';
const DEFAULT_CELL_TIMEOUT_MS = 30 * 60_000;
/** After a cell's reply, how long to wait for its idle status (its last outputs are in flight). */
const IDLE_WAIT_MS = 5000;
/**
 * After a timeout, how long an interrupted cell gets to stop and report where it was: longer than
 * the 2 s the patched tslab gives a cell to end with its own error (patches/tslab+1.0.22.patch).
 */
const INTERRUPT_WAIT_MS = 4000;
/** How long shutdown waits for the kernel to answer before killing it. */
const SHUTDOWN_WAIT_MS = 3000;
/** The file descriptor of the lifeline pipe in the kernel (see kernel-watchdog.js). */
const LIFELINE_FD = 3;
const WATCHDOG = path.join(__dirname, 'kernel-watchdog.js');
/**
 * tslab's process-wide handlers print errors that no cell caught (a timer's throw, a promise
 * nobody awaited) as `console.error("UncaughtException:", err)` and
 * `console.error("UnhandledPromiseRejection:", reason)`, under the last cell that ran.
 */
const ASYNC_ERROR = /^(?:UncaughtException|UnhandledPromiseRejection):/m;

export interface JupyterOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  /** Kept while executing so update_display_data can find the output; removed when saving. */
  transient?: { display_id?: string };
}

export interface ExecuteResult {
  /**
   * ok, error or abort as the kernel replied; timeout: no reply within the limit (the cell was
   * then interrupted); died: the kernel process ended. `problem` says which limit or how it ended.
   */
  status: 'ok' | 'error' | 'abort' | 'timeout' | 'died';
  executionCount: number | null;
  /**
   * The cell's outputs. Output that arrives after the cell finished is still appended here, as
   * Jupyter does: tslab sends what a timer prints to the last cell that ran.
   */
  outputs: JupyterOutput[];
  /** Everything the cell wrote to stderr: tslab reports compile and run errors only there. */
  stderr: string;
  /** For timeout and died: what happened ("did not finish within 5 s", "the kernel exited …"). */
  problem?: string;
}

export interface ExecuteOptions {
  /** Limit for the cell. Default 30 minutes. */
  timeoutMs?: number;
  /** Replaces an output of an earlier cell with this display id; returns whether one was found. */
  onUpdate?: (displayId: string, output: JupyterOutput) => boolean;
  /**
   * Called with each error tslab's process-wide handlers report under this cell (an exception
   * thrown by a timer, a rejected promise nobody awaited): while it runs (`late` false; the work
   * may have been started by an earlier cell) or after it finished (`late` true).
   */
  onAsyncError?: (text: string, late: boolean) => void;
}

interface Message {
  header: { msg_id: string; msg_type: string; [k: string]: unknown };
  parent_header: { msg_id?: string; [k: string]: unknown };
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

/** The promise's value, or undefined if it takes longer than ms. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Connection files written and not yet removed; removed at the latest when this process exits. */
const connectionFiles = new Set<string>();
process.on('exit', () => connectionFiles.forEach(removeConnectionFile));

/** Removes a connection file and the temporary folder made for it. */
function removeConnectionFile(file: string): void {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  connectionFiles.delete(file);
}

export interface KernelOptions {
  /** Working directory of the kernel: the notebook's folder. */
  cwd: string;
  /** Extra environment variables for the kernel process. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the kernel to answer kernel_info. Default 60 s. */
  startTimeoutMs?: number;
}

export class TslabKernel {
  /** Kernels started and not yet shut down, for shutdownAll. */
  private static readonly running = new Set<TslabKernel>();
  private readonly pending = new Map<string, (message: Message) => void>();
  /** iopub listeners by request id; a cell's stays until shutdown, for output that comes late. */
  private readonly listeners = new Map<string, (message: Message) => void>();
  private exited: string | undefined;
  private closed = false;
  private kernelLog = '';

  private constructor(
    private readonly process: ChildProcess,
    private readonly key: string,
    private readonly shell: zmq.Dealer,
    private readonly control: zmq.Dealer,
    private readonly iopub: zmq.Subscriber,
    private readonly connectionFile: string,
  ) {}

  static async start(options: KernelOptions): Promise<TslabKernel> {
    const key = crypto.randomBytes(16).toString('hex');
    const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = await Promise.all([1, 2, 3, 4, 5].map(freePort));
    const connection = {
      transport: 'tcp', ip: '127.0.0.1', key, signature_scheme: 'hmac-sha256',
      shell_port: shellPort, iopub_port: iopubPort, stdin_port: stdinPort, control_port: controlPort, hb_port: hbPort,
    };
    const connectionFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tslab-')), 'connection.json');
    connectionFiles.add(connectionFile);
    fs.writeFileSync(connectionFile, JSON.stringify(connection));
    const tslabBin = path.join(path.dirname(require.resolve('tslab/package.json')), 'bin', 'tslab');
    // The fourth pipe is the lifeline: we never write to it, and it closes when this process ends.
    const child = spawn(process.execPath, ['--require', WATCHDOG, tslabBin, 'kernel', '--config-path', connectionFile], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, NOTEBOOK_RUNNER_LIFELINE_FD: String(LIFELINE_FD) },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    // linger 0: never wait for undelivered messages to a kernel that has gone.
    const shell = new zmq.Dealer({ linger: 0 });
    const control = new zmq.Dealer({ linger: 0 });
    const iopub = new zmq.Subscriber({ linger: 0 });
    shell.connect(`tcp://127.0.0.1:${shellPort}`);
    control.connect(`tcp://127.0.0.1:${controlPort}`);
    iopub.connect(`tcp://127.0.0.1:${iopubPort}`);
    iopub.subscribe();
    const kernel = new TslabKernel(child, key, shell, control, iopub, connectionFile);
    TslabKernel.running.add(kernel);
    // The lifeline carries no data; its end closing is all it can report, and the exit says more.
    child.stdio[LIFELINE_FD]?.on('error', () => {});
    child.stdout!.on('data', (d) => (kernel.kernelLog += d));
    child.stderr!.on('data', (d) => (kernel.kernelLog += d));
    const died = (how: string) => {
      kernel.exited ??= how;
      for (const resolve of kernel.pending.values()) resolve({ header: { msg_id: '', msg_type: 'kernel_died' }, parent_header: {}, metadata: {}, content: {} });
    };
    child.on('error', (error) => died(`the kernel process failed: ${error.message}`));
    child.on('exit', (code, signal) => died(`the kernel exited (code ${code}, signal ${signal})`));
    kernel.listen(shell);
    kernel.listen(control);
    kernel.listenIopub();
    try {
      await kernel.waitUntilReady(options.startTimeoutMs ?? 60_000);
    } catch (error) {
      await kernel.shutdown();
      throw error;
    }
    // tslab read the file when it started; a kill of the whole process group from now on (which
    // no cleanup can follow) leaves nothing behind.
    removeConnectionFile(connectionFile);
    return kernel;
  }

  /** Shuts down every kernel this process started, e.g. before exiting on a signal. */
  static async shutdownAll(): Promise<void> {
    await Promise.all([...TslabKernel.running].map((kernel) => kernel.shutdown()));
  }

  /** The kernel's process id (known once start() has resolved). */
  get pid(): number {
    return this.process.pid!;
  }

  /**
   * Interrupts the running cell, as Jupyter does for kernels with interrupt_mode "signal": tslab
   * answers SIGINT by breaking a synchronous loop or abandoning the cell's pending await; the
   * cell then ends with an error and the kernel stays usable. (After any error tslab answers
   * cells that arrive within 200 ms with status abort, so wait a moment before the next one.)
   */
  interrupt(): void {
    if (!this.exited) this.process.kill('SIGINT');
  }

  private sign(parts: string[]): string {
    const hmac = crypto.createHmac('sha256', this.key);
    for (const part of parts) hmac.update(part);
    return hmac.digest('hex');
  }

  private decode(frames: Buffer[]): Message | undefined {
    const at = frames.findIndex((f) => f.toString() === DELIMITER);
    if (at < 0) return undefined;
    const [signature, header, parent, metadata, content] = frames.slice(at + 1, at + 6).map((f) => f.toString());
    if (this.sign([header, parent, metadata, content]) !== signature) return undefined;
    return { header: JSON.parse(header), parent_header: JSON.parse(parent), metadata: JSON.parse(metadata), content: JSON.parse(content) };
  }

  private async listen(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const message = this.decode(frames as Buffer[]);
        const parent = message?.parent_header.msg_id;
        if (message && parent && this.pending.has(parent)) {
          this.pending.get(parent)!(message);
          this.pending.delete(parent);
        }
      }
    } catch {
      // The socket was closed.
    }
  }

  private async listenIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const message = this.decode(frames as Buffer[]);
        const parent = message?.parent_header.msg_id;
        if (message && parent) this.listeners.get(parent)?.(message);
      }
    } catch {
      // The socket was closed.
    }
  }

  private async request(socket: zmq.Dealer, type: string, content: object, timeoutMs: number, msgId: string = crypto.randomUUID()): Promise<Message> {
    const header = JSON.stringify({
      msg_id: msgId, msg_type: type, username: 'runner', session: 'notebook-runner', date: new Date().toISOString(), version: PROTOCOL_VERSION,
    });
    const parts = [header, '{}', '{}', JSON.stringify(content)];
    const reply = new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msgId);
        reject(new Error(`no ${type} reply within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(msgId, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
    // A kernel that has gone may never take the message: the reply's limit bounds the send too.
    reply.catch(() => {});
    await Promise.race([socket.send([DELIMITER, this.sign(parts), ...parts]), reply]);
    return reply;
  }

  /**
   * Ready means the kernel answers on the shell socket *and* its iopub messages reach us: a
   * subscriber connects asynchronously, and output published before it is connected is lost
   * (ZeroMQ's "slow joiner"), which would drop the first cell's error text. The kernel publishes
   * a status message for every request, so we ask until we see one.
   */
  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`tslab did not start: ${this.exited}.\n${this.kernelLog}`);
      const msgId = crypto.randomUUID();
      let statusSeen: () => void = () => {};
      const status = new Promise<void>((resolve) => (statusSeen = resolve));
      this.listeners.set(msgId, (message) => {
        if (message.header.msg_type === 'status') statusSeen();
      });
      try {
        await this.request(this.shell, 'kernel_info_request', {}, 2000, msgId);
        const seen = await Promise.race([status.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500))]);
        if (seen) return;
      } catch {
        // Not listening yet: ask again.
      } finally {
        this.listeners.delete(msgId);
      }
    }
    throw new Error(`tslab did not answer within ${timeoutMs / 1000} s.\n${this.kernelLog}`);
  }

  /**
   * Runs one cell. Outputs are gathered from iopub until the kernel reports idle for this
   * request; update_display_data replaces the earlier output with the same display id
   * (`onUpdate` lets the caller update outputs of earlier cells too). A cell that exceeds its
   * limit is interrupted and reported with status timeout; this never throws for a cell's sake.
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const result: ExecuteResult = { status: 'ok', executionCount: null, outputs: [], stderr: '' };
    if (this.exited) return { ...result, status: 'died', problem: this.diedText() };
    const outputs = result.outputs;
    let finished = false;
    let idle: () => void = () => {};
    const idleSeen = new Promise<void>((resolve) => (idle = resolve));
    const msgId = crypto.randomUUID();
    this.listeners.set(msgId, (message) => {
      const content = message.content;
      switch (message.header.msg_type) {
        case 'stream': {
          const name = content.name as string;
          const text = content.text as string;
          if (name === 'stderr') {
            result.stderr += text;
            const at = text.search(ASYNC_ERROR);
            if (at >= 0) options.onAsyncError?.(text.slice(at).trimEnd(), finished);
          }
          const last = outputs[outputs.length - 1];
          if (last?.output_type === 'stream' && last.name === name) last.text += text;
          else outputs.push({ output_type: 'stream', name, text });
          break;
        }
        case 'display_data':
          outputs.push({ output_type: 'display_data', data: content.data as Record<string, unknown>, metadata: (content.metadata as Record<string, unknown>) ?? {}, transient: content.transient as { display_id?: string } });
          break;
        case 'update_display_data': {
          const id = (content.transient as { display_id?: string })?.display_id;
          const output: JupyterOutput = { output_type: 'display_data', data: content.data as Record<string, unknown>, metadata: (content.metadata as Record<string, unknown>) ?? {}, transient: { display_id: id } };
          const own = outputs.find((o) => o.transient?.display_id === id);
          if (own) Object.assign(own, output);
          else if (id && options.onUpdate) options.onUpdate(id, output);
          break;
        }
        case 'execute_result':
          outputs.push({ output_type: 'execute_result', data: content.data as Record<string, unknown>, metadata: {}, execution_count: content.execution_count as number });
          break;
        case 'error':
          outputs.push({ output_type: 'error', ...(content as object) } as JupyterOutput);
          result.stderr += `${content.ename}: ${content.evalue}\n`;
          break;
        case 'status':
          if (content.execution_state === 'idle') idle();
          break;
      }
    });
    try {
      const header = JSON.stringify({
        msg_id: msgId, msg_type: 'execute_request', username: 'runner', session: 'notebook-runner', date: new Date().toISOString(), version: PROTOCOL_VERSION,
      });
      const content = { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true };
      const parts = [header, '{}', '{}', JSON.stringify(content)];
      const timeoutMs = options.timeoutMs ?? DEFAULT_CELL_TIMEOUT_MS;
      const replied = new Promise<Message>((resolve) => this.pending.set(msgId, resolve));
      await this.shell.send([DELIMITER, this.sign(parts), ...parts]);
      let reply = await within(replied, timeoutMs);
      if (!reply) {
        // Interrupted, the cell usually says where it was; then it gets a moment to reply.
        result.status = 'timeout';
        result.problem = `did not finish within ${seconds(timeoutMs)}`;
        this.interrupt();
        reply = await within(replied, INTERRUPT_WAIT_MS);
      }
      if (reply?.header.msg_type === 'kernel_died') {
        result.status = 'died';
        result.problem = this.diedText();
        return result;
      }
      if (reply) {
        // Outputs may still be in flight on iopub: wait for this request's idle status.
        await within(idleSeen, IDLE_WAIT_MS);
        result.executionCount = (reply.content.execution_count as number) ?? null;
        if (result.status !== 'timeout') result.status = reply.content.status as ExecuteResult['status'];
      }
      return result;
    } finally {
      this.pending.delete(msgId);
      finished = true;
    }
  }

  private diedText(): string {
    const log = this.kernelLog.trim();
    return `${this.exited}${log ? `; the kernel's own output ended with:\n${log.slice(-4000)}` : ''}`;
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.exited) {
      try {
        await this.request(this.control, 'shutdown_request', { restart: false }, SHUTDOWN_WAIT_MS);
      } catch {
        // Killed below anyway.
      }
    }
    this.process.kill('SIGKILL');
    this.process.stdio[LIFELINE_FD]?.destroy();
    this.listeners.clear();
    this.shell.close();
    this.control.close();
    this.iopub.close();
    removeConnectionFile(this.connectionFile);
    TslabKernel.running.delete(this);
  }
}
