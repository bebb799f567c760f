/**
 * Training a learner can stop: Kernel → Interrupt in Jupyter (SIGINT to the kernel), or Ctrl-C in
 * a terminal.
 *
 * A loop of `await`s that never yields to the event loop cannot notice a signal: Node delivers
 * signals between macrotasks, and an already-resolved `await` is a microtask. So the training loop
 * yields (setImmediate) whenever YIELD_INTERVAL_MS have passed, and listens for SIGINT while it
 * runs. tslab's own SIGINT handler only ends the cell's wait; without our listener the training
 * would go on in the background.
 *
 * The listener is added only after one turn of the event loop. tslab runs a cell's synchronous
 * part with vm's `breakOnSigint`, which takes every SIGINT listener off while it runs; a listener
 * added in that window leaves Node's signal handling broken, and the next interrupt kills the
 * kernel (measured with tslab 1.0.22 on Node 20; test/train/interruptInKernel.test.ts).
 */
import { printsAs } from '../printsAs';

/** The training loop yields to the event loop at least this often. */
export const YIELD_INTERVAL_MS = 100;

/** Thrown by train() when it was interrupted; the model keeps the weights it had when it stopped. */
export class TrainingInterrupted extends Error {
  constructor(message: string, readonly history: unknown) {
    super(message);
    this.name = 'TrainingInterrupted';
    // tslab prints a late rejection with its stack; the message says all a learner needs.
    this.stack = `${this.name}: ${message}`;
    // A notebook prints the error as its one line (not as an object with its history).
    printsAs(this, () => this.stack!);
  }
}

export interface InterruptWatch {
  /** True once SIGINT arrived. */
  readonly requested: boolean;
  /** Yields to the event loop if YIELD_INTERVAL_MS have passed since the last yield. */
  yieldIfDue(): Promise<void>;
  /** Removes the listener. */
  stop(): void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts listening for SIGINT (until stop()), after one turn of the event loop (see above). */
export async function watchInterrupts(): Promise<InterruptWatch> {
  let requested = false;
  const listener = () => {
    requested = true;
  };
  await nextTurn();
  let lastYield = Date.now();
  process.on('SIGINT', listener);
  return {
    get requested() {
      return requested;
    },
    async yieldIfDue() {
      if (Date.now() - lastYield < YIELD_INTERVAL_MS) return;
      await nextTurn();
      lastYield = Date.now();
    },
    stop() {
      process.removeListener('SIGINT', listener);
    },
  };
}
