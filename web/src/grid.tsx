import type { ComponentChildren } from 'preact';
import type { ItemSummary } from './api';
import { t } from './i18n';

/** One column of a Grid: its header and what it shows for a row. */
export interface Column<R> {
  title: ComponentChildren;
  /** Right-aligned figures: class="num" on the header and the cells. */
  num?: boolean;
  /** The row's own name: drawn as <th scope="row"> rather than <td>. */
  rowHeader?: boolean;
  /** Extra class on the body cells (e.g. "rules"). */
  class?: string;
  cell: (row: R) => ComponentChildren;
}

/** A labelled data table (class="grid"): a header row of column titles, then one row per entry of `rows`. */
export function Grid<R>({
  label,
  columns,
  rows,
  rowProps,
  class: extra,
}: {
  label: string;
  columns: Array<Column<R>>;
  rows: R[];
  /** Attributes of a body row that tests and CSS find it by (data-item, class="noisy"). */
  rowProps?: (row: R) => Record<string, string | number>;
  class?: string;
}) {
  const cellClass = (c: Column<R>) => [c.num && 'num', c.class].filter(Boolean).join(' ') || undefined;
  return (
    <table class={extra ? `grid ${extra}` : 'grid'} aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" class={c.num ? 'num' : undefined}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr {...rowProps?.(r)}>
            {columns.map((c) =>
              c.rowHeader ? (
                <th scope="row" class={cellClass(c)}>
                  {c.cell(r)}
                </th>
              ) : (
                <td class={cellClass(c)}>{c.cell(r)}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Columns both item lists (the queue's, an agent's own) share. Functions, so titles follow a language switch.
export const itemLink = (): Column<ItemSummary> => ({
  title: '#',
  cell: (i) => <a href={`#/item/${i.id}`}>{i.conversationId}</a>,
});
export const rulesFired = (): Column<ItemSummary> => ({
  title: t('rulesFired'),
  class: 'rules',
  cell: (i) => i.rules.join(', '),
});
