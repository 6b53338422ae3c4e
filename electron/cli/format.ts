/** A text table: one header row, columns padded, long cells cut with an ellipsis. */
export function columns(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.min(48, Math.max(...all.map((r) => (r[i] ?? '').length))));
  const cell = (text: string, i: number) => {
    const w = widths[i] ?? 0;
    return (text.length > w ? `${text.slice(0, w - 1)}…` : text).padEnd(w);
  };
  return all.map((r) => r.map(cell).join('  ').trimEnd()).join('\n');
}

/** Label/value lines with the values aligned. */
export function labelled(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
