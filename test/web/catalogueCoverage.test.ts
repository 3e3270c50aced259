import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11: pages moved to the message catalogue keep no English of their own. A folder
 * listed here may not have JSX text with letters, nor a literal string in a visible prop.
 * Since issue 17 that is the whole web app: a new page starts in the catalogue.
 */
const MOVED = [
  // Issue 17: every page and component (ADR 0070 follows the browser's language).
  'src/web/pages',
  'src/web/components',
  'src/web/App.tsx',
];

/** Props whose value people see or hear. */
const VISIBLE = new Set(['label', 'title', 'lead', 'legend', 'description', 'placeholder', 'hint', 'confirmLabel', 'aria-label', 'alt', 'currencyHint', 'loadingLabel']);

const letters = /\p{L}/u;

function files(dir: string): string[] {
  if (dir.endsWith('.tsx')) return [dir];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return full.endsWith('.tsx') ? [full] : [];
  });
}

/** Every piece of text outside the catalogue: "file:line text". */
export function strayText(file: string, source = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const at = (node: ts.Node) => `${path.basename(file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && letters.test(node.text)) found.push(`${at(node)} ${node.text.trim()}`);
    if (ts.isJsxAttribute(node) && VISIBLE.has(node.name.getText()) && node.initializer) {
      const init = node.initializer;
      const literal = ts.isStringLiteral(init) ? init
        : ts.isJsxExpression(init) && init.expression && (ts.isStringLiteral(init.expression) || ts.isNoSubstitutionTemplateLiteral(init.expression) || ts.isTemplateExpression(init.expression)) ? init.expression : null;
      if (literal && letters.test(literal.getText())) found.push(`${at(node)} ${node.getText()}`);
    }
    // {'Text'} or {cond ? 'Text' : …} as a child: strings not passed to a call such as t().
    if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const strings = (n: ts.Node): void => {
        // Calls (t('…')), nested JSX (visited on its own), object properties (the rule below) and comparisons hold no visible text.
        if (ts.isCallExpression(n) || ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n) || ts.isPropertyAssignment(n)) return;
        if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(n.operatorToken.kind)) return;
        if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) && letters.test(n.getText())) found.push(`${at(n)} ${n.getText()}`);
        ts.forEachChild(n, strings);
      };
      strings(node.expression);
    }
    // Option lists and field problems built as object literals: { label: '…' } / { message: '…' }.
    if (ts.isPropertyAssignment(node) && ['label', 'hint', 'message', 'title', 'detail'].includes(node.name.getText())
      && (ts.isStringLiteral(node.initializer) || ts.isTemplateExpression(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer))
      && letters.test(node.initializer.getText())) found.push(`${at(node.initializer)} ${node.initializer.getText()}`);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return [...new Set(found)];
}

describe('pages moved to the catalogue', () => {
  it('the check finds stray text (it can fail)', () => {
    const stray = strayText('x.tsx', `export const A = () => <Page title="Hello"><p>Plain words</p><p>{t('ok')}</p><Field label={\`Name \${x}\`} />{[{ label: 'Owned' }]}{ok ? 'Yes' : t('no')}</Page>;`);
    expect(stray).toHaveLength(5);
    expect(strayText('y.tsx', `export const B = () => <figure><figcaption>— {who}</figcaption><Field label={t('a')} name="x" /></figure>;`)).toEqual([]);
  });

  for (const dir of MOVED) {
    it(`${dir}: every visible string comes from the catalogue`, () => {
      const stray = files(dir).flatMap((file) => strayText(file));
      expect(stray).toEqual([]);
    });
  }
});
