// Reads Lighthouse JSON reports, prints a score table and, for every category
// under 100, the audits that lost points; exits 1 if a page misses a threshold.
//
//   node summarize.mjs PAGE=REPORT.json [PAGE=REPORT.json ...]
//
// A page whose report is missing (Lighthouse failed on it) counts as a failure.

import {existsSync, readFileSync} from 'node:fs';

const CATEGORIES = [
  ['performance', 'Performance', 95],
  ['accessibility', 'Accessibility', 100],
  ['best-practices', 'Best practices', 100],
  ['seo', 'SEO', 100],
];

const percent = score => (typeof score === 'number' ? Math.round(score * 100) : null);
const shown = value => (value === null ? 'n/a' : String(value));

const rows = [];
const notes = [];
let failed = false;

for (const argument of process.argv.slice(2)) {
  const cut = argument.lastIndexOf('=');
  const page = argument.slice(0, cut);
  const file = argument.slice(cut + 1);
  if (!existsSync(file)) {
    rows.push([page, ...CATEGORIES.map(() => 'n/a')]);
    notes.push(`${page}: Lighthouse produced no report (see its log beside the reports).`);
    failed = true;
    continue;
  }
  const lhr = JSON.parse(readFileSync(file, 'utf8'));
  const row = [page];
  for (const warning of lhr.runWarnings ?? []) notes.push(`${page}: warning: ${warning}`);
  if (lhr.runtimeError) {
    // Every audit then carries the same error: the error alone says it all.
    notes.push(`${page}: no scores, Lighthouse runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    rows.push([page, ...CATEGORIES.map(() => 'n/a')]);
    failed = true;
    continue;
  }

  for (const [id, title, minimum] of CATEGORIES) {
    const category = lhr.categories[id];
    const score = category ? percent(category.score) : null;
    row.push(shown(score));
    if (score === null || score < minimum) failed = true;
    if (score === 100) continue;

    const lost = [];
    for (const ref of category?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (!audit || ref.weight === 0) continue;
      const errored = audit.scoreDisplayMode === 'error';
      if (!errored && (audit.score === null || audit.score >= 1)) continue;
      const detail = errored
        ? `error: ${audit.errorMessage}`
        : [`score ${percent(audit.score)}`, audit.displayValue].filter(Boolean).join(', ');
      lost.push(`    ${ref.id}: ${audit.title} (${detail}; weight ${ref.weight})`);
      // What the audit points at (elements, URLs), a few of them; the HTML
      // report has the rest.
      const items = audit.details?.items ?? [];
      for (const item of items.slice(0, 3)) {
        const node = item.node ?? item.element;
        const what = node?.snippet
          ? `${node.snippet}${node.selector ? ` (${node.selector})` : ''}`
          : [item.description, item.url ?? item.sourceLocation?.url ?? item.source?.url]
            .filter(Boolean).join(' ') || item.value;
        if (what) lost.push(`      - ${String(what).slice(0, 200)}`);
      }
      if (items.length > 3) lost.push(`      - and ${items.length - 3} more`);
    }
    notes.push(`${page}: ${title} ${shown(score)} (needs ${minimum}); audits that lost points:`);
    notes.push(...(lost.length ? lost : ['    (none reported: the category score itself is missing)']));
  }
  rows.push(row);
}

const header = ['Page', ...CATEGORIES.map(([, title]) => title)];
const widths = header.map((cell, column) =>
  Math.max(cell.length, ...rows.map(row => row[column].length)));
const line = row => row.map((cell, column) =>
  column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])).join('  ');

console.log(line(header));
console.log(widths.map(width => '-'.repeat(width)).join('  '));
for (const row of rows) console.log(line(row));
if (notes.length) console.log('\n' + notes.join('\n'));
console.log(failed
  ? '\nLighthouse: FAILED (needs accessibility, best practices and SEO at 100, performance at 95 or more)'
  : '\nLighthouse: passed');
process.exit(failed ? 1 : 0);
