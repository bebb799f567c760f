/**
 * The reverse of from-percent.ts: a lesson's .ipynb as plain TypeScript in the "percent" format,
 * to edit in an editor and convert back (outputs are dropped).
 *
 *   npx tsx scripts/notebook/to-percent.ts notebooks/01-the-bottleneck.ipynb scratch/01.ts
 */
import * as fs from 'fs';
import { writeFileAtomic } from '../../src/files/atomicFiles';
import { Notebook, sourceText } from './runNotebook';

export function notebookToPercent(notebook: Notebook): string {
  return notebook.cells.map((cell) => {
    const text = sourceText(cell).replace(/\s+$/, '');
    if (cell.cell_type === 'markdown') {
      return `// %% [markdown]\n${text.split('\n').map((line) => (line ? `// ${line}` : '//')).join('\n')}`;
    }
    const tags = (cell.metadata as { tags?: string[] } | undefined)?.tags;
    return `// %%${tags?.length ? ` tags=${JSON.stringify(tags)}` : ''}\n${text}`;
  }).join('\n\n') + '\n';
}

if (require.main === module) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: tsx scripts/notebook/to-percent.ts notebook.ipynb lesson.ts');
    process.exit(2);
  }
  const notebook = JSON.parse(fs.readFileSync(input, 'utf8')) as Notebook;
  writeFileAtomic(output, notebookToPercent(notebook));
}
