/**
 * Re-renders bench/results/<name>.md (and README.md) from <name>.json, e.g. after merging in a
 * scenario re-run on its own. Run: node -r ts-node/register/transpile-only bench/report/render.ts <name>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from '../config';
import { renderMarkdown } from './markdown.report';
import type { BenchResults } from './results.model';

const name = process.argv[2];
if (!name) {
  console.error('usage: render.ts <results name>');
  process.exit(2);
}
const results = JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), 'utf8')) as BenchResults;
const markdown = renderMarkdown(results);
writeFileSync(join(RESULTS_DIR, `${name}.md`), markdown);
writeFileSync(join(RESULTS_DIR, 'README.md'), markdown);
console.log(`bench/results/${name}.md and README.md written`);
