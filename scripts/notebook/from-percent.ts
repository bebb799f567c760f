/**
 * Turns a lesson written as plain TypeScript in the "percent" format into a clean .ipynb (no
 * outputs, tslab kernel). Handy for writing a lesson in an editor; the .ipynb is what is committed.
 *
 *   npx tsx scripts/notebook/from-percent.ts lesson.ts notebooks/01-the-bottleneck.ipynb
 *
 *   // %% [markdown]
 *   // # A heading            ← markdown cell (the leading "// " is removed)
 *   // %% tags=["parameters"]
 *   const MODE = 'full';      ← code cell with tags
 *   // %%
 *   ...                       ← code cell
 */
import * as fs from 'fs';
import { writeFileAtomic } from '../../src/files/atomicFiles';
import { Notebook, NotebookCell } from './runNotebook';

export function percentToNotebook(text: string): Notebook {
  const cells: NotebookCell[] = [];
  const blocks = text.split(/^\/\/ %%/m).slice(1);
  blocks.forEach((block, i) => {
    const newline = block.indexOf('\n');
    const header = block.slice(0, newline).trim();
    let body = block.slice(newline + 1).replace(/\s+$/, '');
    const markdown = header.startsWith('[markdown]');
    const tags = header.match(/tags=(\[.*\])/);
    if (markdown) body = body.split('\n').map((line) => line.replace(/^\/\/ ?/, '')).join('\n');
    const lines = body.split('\n').map((line, n, all) => (n < all.length - 1 ? line + '\n' : line));
    const cell: NotebookCell = {
      cell_type: markdown ? 'markdown' : 'code',
      id: `cell-${String(i).padStart(3, '0')}`,
      metadata: tags ? { tags: JSON.parse(tags[1]) } : {},
      source: lines,
    };
    if (!markdown) {
      cell.outputs = [];
      cell.execution_count = null;
    }
    cells.push(cell);
  });
  return {
    cells,
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript', codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true } },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

if (require.main === module) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: tsx scripts/notebook/from-percent.ts lesson.ts notebook.ipynb');
    process.exit(2);
  }
  writeFileAtomic(output, JSON.stringify(percentToNotebook(fs.readFileSync(input, 'utf8')), null, 1) + '\n');
}
