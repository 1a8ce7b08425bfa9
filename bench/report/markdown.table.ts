/** A Markdown table; by default the first column left-aligned and the others right-aligned. */
export function table(header: string[], rows: string[][], align?: string[]): string {
  const aligns = align ?? header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [
    `| ${header.join(' | ')} |`,
    `|${aligns.join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
