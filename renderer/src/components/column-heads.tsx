import type { ReactNode } from 'react';

/** A data table's header row: one column header per label, in order. */
export function ColumnHeads({ labels }: { labels: readonly ReactNode[] }) {
  return (
    <thead>
      <tr>
        {labels.map((label, i) => (
          // The columns are fixed for the table's life: their position is their identity.
          <th key={i} scope="col">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
