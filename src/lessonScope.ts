/**
 * Tensor lifetimes in a lesson, so that its cells need (almost) no dispose calls. A lesson is cut
 * into sections (lesson.section('The identity trap')); starting a section releases every tensor the
 * previous section made, except those kept with lesson.keep(). Tensors made before the first
 * section (the data) and model weights (tf.Variable, which TensorFlow.js never releases by scope)
 * live on. Built on TensorFlow.js's own scopes (tf.engine().startScope / endScope), the mechanism
 * behind tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';

type ScopeState = { scopeStack: unknown[] };

function scopeDepth(): number {
  return (tf.engine().state as unknown as ScopeState).scopeStack.length;
}

/** The tensors of a value: a tensor, or an array or object's tensors, one level deep. */
export function tensorsOf(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (value === null || typeof value !== 'object') return [];
  const members = Array.isArray(value) ? value : Object.values(value as object);
  return members.filter((member): member is tf.Tensor => member instanceof tf.Tensor);
}

export class LessonScope {
  /** The engine's scope depth just before our scope was opened; undefined when none is open. */
  private depthBefore: number | undefined;
  private title = '';

  /** Ends the open section, if any, and opens one named `title`. */
  begin(title: string): void {
    if (typeof title !== 'string' || title.trim() === '') {
      throw new Error('lesson.section: give the section a title, e.g. lesson.section(\'Training\').');
    }
    this.end();
    this.depthBefore = scopeDepth();
    this.title = title;
    tf.engine().startScope(`lesson section: ${title}`);
  }

  /**
   * Ends the open section: its tensors not kept are released. A cell that failed inside a tf.tidy
   * cannot leave a scope open (tidy closes its own), but a scope opened by other code and left open
   * is closed too, innermost first, so that the engine is back where the section found it.
   */
  end(): void {
    if (this.depthBefore === undefined) return;
    while (scopeDepth() > this.depthBefore) tf.engine().endScope();
    this.depthBefore = undefined;
  }

  /** Keeps `value`'s tensors past the section (tf.keep), and returns `value`. */
  keep<T>(value: T): T {
    const tensors = tensorsOf(value);
    if (tensors.length === 0) {
      throw new Error('lesson.keep: give a tensor, or an array or object holding tensors.');
    }
    for (const tensor of tensors) tf.keep(tensor);
    return value;
  }

  /** The open section's title ('' when none is open). */
  get current(): string {
    return this.depthBefore === undefined ? '' : this.title;
  }
}
