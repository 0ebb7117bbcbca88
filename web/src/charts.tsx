/** Small inline SVG charts (no chart library: a line and a bar chart are a few elements each). */

const PALETTE = ['#0b5cad', '#b3261e', '#1b7f3b', '#8a5a00', '#6a3fa0', '#00707a', '#5f6368', '#c2185b'];
export const colour = (i: number) => PALETTE[i % PALETTE.length]!;

export interface Series {
  name: string;
  points: Array<{ x: string; y: number | null }>;
  highlight?: boolean;
}

/** Lines over shared x labels (periods), y from 0 to 1 (precision). Highlighted series are drawn thick and dashed. */
export function LineChart({
  series,
  label,
  height = 220,
}: {
  series: Series[];
  label: string;
  height?: number;
}) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const W = 720;
  const H = height;
  const pad = { l: 40, r: 40, t: 10, b: 30 };
  const x = (v: string) =>
    pad.l + (xs.length <= 1 ? 0.5 : xs.indexOf(v) / (xs.length - 1)) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - v) * (H - pad.t - pad.b);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {[0, 0.25, 0.5, 0.75, 1].map((g) => (
          <g>
            <line x1={pad.l} x2={W - pad.r} y1={y(g)} y2={y(g)} class="grid" />
            <text x={pad.l - 6} y={y(g) + 4} text-anchor="end" class="axis">
              {g.toFixed(2)}
            </text>
          </g>
        ))}
        {xs.map((v) => (
          <text x={x(v)} y={H - 8} text-anchor="middle" class="axis">
            {v}
          </text>
        ))}
        {series.map((s, i) => {
          const pts = s.points.filter((p) => p.y !== null);
          return (
            <g data-series={s.name} class={s.highlight ? 'noisy' : ''}>
              <polyline
                fill="none"
                stroke={colour(i)}
                stroke-width={s.highlight ? 4 : 2}
                stroke-dasharray={s.highlight ? '8 4' : undefined}
                points={pts.map((p) => `${x(p.x)},${y(p.y!)}`).join(' ')}
              />
              {pts.map((p) => (
                <circle cx={x(p.x)} cy={y(p.y!)} r={s.highlight ? 5 : 3} fill={colour(i)}>
                  <title>{`${s.name} ${p.x}: ${p.y}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {series.map((s, i) => (
          <span class={s.highlight ? 'noisy' : ''}>
            <i style={{ background: colour(i) }} /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars, one per row, scaled to `max`. */
export function BarChart({
  rows,
  label,
  max,
  format = (v) => String(v),
}: {
  rows: Array<{ name: string; value: number; highlight?: boolean }>;
  label: string;
  max?: number;
  format?: (v: number) => string;
}) {
  const top = max ?? Math.max(1, ...rows.map((r) => r.value));
  const W = 720;
  const row = 22;
  const lw = 200;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${rows.length * row + 4}`} role="img" aria-label={label}>
        {rows.map((r, i) => (
          <g>
            <text x={lw - 6} y={i * row + 15} text-anchor="end" class="axis">
              {r.name}
            </text>
            <rect
              x={lw}
              y={i * row + 3}
              width={Math.max(1, (r.value / top) * (W - lw - 70))}
              height={row - 6}
              class={r.highlight ? 'bar noisy' : 'bar'}
            />
            <text x={lw + Math.max(1, (r.value / top) * (W - lw - 70)) + 4} y={i * row + 15} class="axis">
              {format(r.value)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
