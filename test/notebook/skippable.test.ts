/**
 * A section a lesson marks as skippable ("skip it on a first read or in class") must be skippable:
 * no later cell may use a name that only that section declares. A teacher who skips it and runs
 * on would otherwise meet "Cannot find name" in front of the class (lessons 02 and 04 once did,
 * through their figures cells).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { readNotebook, sourceText } from '../../scripts/notebook/runNotebook';

const LESSONS = path.resolve(__dirname, '..', '..', 'notebooks');
const SKIPPABLE = /^## .*\(skip it on a first read or in class\)/m;
const HEADING = /^## /m;

type Cell = { type: string; source: string };

/** The names a cell declares at its top level: const/let/var (destructuring too), functions, classes, types. */
export function declaredNames(source: string): Set<string> {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
    else if ((ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement))) names.add(statement.name.text);
  }
  return names;
}

/** Every identifier a cell mentions. */
export function usedNames(source: string): Set<string> {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

/**
 * For each skippable section (its heading cell up to the next "## " heading), the names declared
 * only inside it that a later cell uses: "name (cell N)".
 */
export function namesSkippingBreaks(cells: Cell[]): string[] {
  const broken: string[] = [];
  cells.forEach((cell, start) => {
    if (cell.type !== 'markdown' || !SKIPPABLE.test(cell.source)) return;
    let end = start + 1;
    while (end < cells.length && !(cells[end].type === 'markdown' && HEADING.test(cells[end].source))) end++;
    const code = (from: number, to: number) => cells.slice(from, to).filter((c) => c.type === 'code');
    const outside = new Set([...code(0, start), ...code(end, cells.length)].flatMap((c) => [...declaredNames(c.source)]));
    const onlyInside = new Set([...code(start, end)].flatMap((c) => [...declaredNames(c.source)]).filter((n) => !outside.has(n)));
    cells.slice(end).forEach((later, i) => {
      if (later.type !== 'code') return;
      for (const name of usedNames(later.source)) if (onlyInside.has(name)) broken.push(`${name} (cell ${end + i + 1})`);
    });
  });
  return broken;
}

test('the analysis catches a later cell that uses a name only a skippable section declares', () => {
  const cells: Cell[] = [
    { type: 'code', source: 'const rows = [1];' },
    { type: 'markdown', source: '## Going further (skip it on a first read or in class)' },
    { type: 'code', source: 'const [allRows, { weight }] = [[...rows, 2], { weight: 3 }];\nfunction more() { return 1; }' },
    { type: 'markdown', source: '## Summary' },
    { type: 'code', source: 'lesson.figures(allRows.map((r) => ({ figure: String(r), value: r + weight + more() })));' },
  ];
  assert.deepEqual(namesSkippingBreaks(cells), ['allRows (cell 5)', 'weight (cell 5)', 'more (cell 5)']);
  // Names the rest of the lesson declares too, or uses only inside the section, are fine.
  cells[4].source = 'lesson.figures(rows.map((r) => ({ figure: String(r), value: r })));';
  assert.deepEqual(namesSkippingBreaks(cells), []);
});

test('every lesson section marked skippable can be skipped', () => {
  const lessons = fs.readdirSync(LESSONS).filter((f) => f.endsWith('.ipynb')).sort();
  let marked = 0;
  const broken: string[] = [];
  for (const name of lessons) {
    const cells = readNotebook(path.join(LESSONS, name)).cells.map((c) => ({ type: c.cell_type, source: sourceText(c) }));
    marked += cells.filter((c) => c.type === 'markdown' && SKIPPABLE.test(c.source)).length;
    broken.push(...namesSkippingBreaks(cells).map((b) => `${name}: ${b}`));
  }
  assert.ok(marked >= 2, `lessons mark skippable sections (found ${marked})`);
  assert.deepEqual(broken, [], `names a later cell needs from a skippable section:\n${broken.join('\n')}`);
});
