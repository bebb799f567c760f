/**
 * Exports an executed notebook to HTML with nbconvert (from Jupyter; Python is needed only here):
 * the pinned nbconvert 7 of the project environment (.jupyter-local/venv, made by npm start) when
 * it is there, else the one in JUPYTER_PYTHON, python3, python or Debian's /usr/bin/python3.
 * Charts carry their own Plotly bundle and images are embedded, so the page works offline.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { venvDir, venvPython } from '../jupyter/paths.mjs';

const ROOT = path.resolve(__dirname, '..', '..');

const HOW_TO_GET_NBCONVERT = `nbconvert (part of Jupyter) is needed to export HTML. Install it:
  Debian/Ubuntu: apt-get install -y --no-install-recommends jupyter-nbconvert
  pip:           python3 -m pip install nbconvert
  conda:         conda install -c conda-forge nbconvert
  or run npm start once: it installs the pinned Jupyter (nbconvert 7 included) into .jupyter-local/venv.
Or set JUPYTER_PYTHON to a Python that has it.`;

/** The command that runs nbconvert here, or undefined. */
export function findNbconvert(): string[] | undefined {
  const project = venvPython(venvDir(ROOT));
  const pythons = [process.env.JUPYTER_PYTHON, fs.existsSync(project) ? project : undefined, 'python3', 'python', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const python of pythons) {
    const probe = spawnSync(python, ['-m', 'nbconvert', '--version'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return [python, '-m', 'nbconvert'];
  }
  return undefined;
}

/** The nbconvert command, or an error saying how to install it. */
export function requireNbconvert(): string[] {
  const command = findNbconvert();
  if (!command) throw new Error(HOW_TO_GET_NBCONVERT);
  return command;
}

/** Writes `<outDir>/<name>.html` and returns its path. */
export function exportHtml(notebookFile: string, outDir: string): string {
  const command = requireNbconvert();
  const result = spawnSync(command[0], [...command.slice(1), '--to', 'html', '--output-dir', outDir, notebookFile], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`nbconvert failed for ${notebookFile} (exit ${result.status}):\n${result.stderr}`);
  }
  return path.join(outDir, path.basename(notebookFile).replace(/\.ipynb$/, '.html'));
}
