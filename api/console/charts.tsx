/** @jsxImportSource hono/jsx */
// Server-rendered SVG: no script, no library, colours from CSS variables (light and dark mode), a
// text alternative (title, desc) and the same numbers as a table for keyboards and screen readers.
import { STATUS_ORDER, dayTotal, daySuccessRate, formatRate, jobTotals, type DayCounts } from '../../domain/report';

const LABEL = { Completed: 'completed', CompletedWithWarnings: 'with warnings', Failed: 'failed', Cancelled: 'cancelled' } as const;
const W = 960;
const H = 210;
const M = { left: 38, right: 44, top: 10, bottom: 26 };

/** A round axis maximum (1, 2, 5 × 10ⁿ) at or above `n`, so the gridlines land on readable values. */
export function niceMax(n: number): number {
  if (n <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].find((f) => f * power >= n) ?? 10) * power;
}

export const dayDescription = (day: DayCounts) =>
  `${day.day}: ${STATUS_ORDER.map((s) => `${day[s]} ${LABEL[s]}`).join(', ')}; job success ${formatRate(daySuccessRate(day))}`;

export function chartSummary(days: DayCounts[], successRate: number | null): string {
  if (days.length === 0) return 'No days in this period.';
  const totals = jobTotals({ jobsByDay: days });
  const busiest = days.reduce((a, b) => (dayTotal(b) > dayTotal(a) ? b : a));
  return `${totals.total} jobs finished from ${days[0]!.day} to ${days[days.length - 1]!.day}: ` +
    `${STATUS_ORDER.map((s) => `${totals[s]} ${LABEL[s]}`).join(', ')}. Backup success rate ${formatRate(successRate)}. ` +
    (totals.total > 0 ? `Busiest day ${busiest.day} with ${dayTotal(busiest)} jobs.` : '');
}

export function JobsChart(props: { id: string; title: string; days: DayCounts[]; successRate: number | null }) {
  const { days, id } = props;
  const max = niceMax(Math.max(0, ...days.map(dayTotal)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.min(56, Math.max(4, slot * 0.62));
  const y = (n: number) => M.top + plotH - (n / max) * plotH;
  const rateY = (r: number) => M.top + plotH - r * plotH;
  const points = days.map((day, i) => ({ x: M.left + slot * i + slot / 2, rate: daySuccessRate(day) }));
  // A day without finished jobs breaks the line rather than pretending to be 0 % or 100 %.
  const segments: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.rate === null) { if (current.length) segments.push(current.join(' ')); current = []; continue; }
    current.push(`${p.x.toFixed(1)},${rateY(p.rate).toFixed(1)}`);
  }
  if (current.length) segments.push(current.join(' '));
  const ticks = [0, max / 2, max];
  return (
    <figure class="chart" id={id} style="margin:0">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} data-chart="jobs-by-day">
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{chartSummary(days, props.successRate)}</desc>
        {ticks.map((t) => (
          <g>
            <line class="axis" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 6} y={y(t) + 4} text-anchor="end">{Math.round(t)}</text>
            <text x={W - M.right + 6} y={rateY(t / max) + 4}>{`${Math.round((t / max) * 100)} %`}</text>
          </g>
        ))}
        {days.map((day, i) => {
          let top = M.top + plotH;
          const x = M.left + slot * i + (slot - barW) / 2;
          return (
            <g data-day={day.day}>
              <title>{dayDescription(day)}</title>
              {STATUS_ORDER.filter((s) => day[s] > 0).map((status) => {
                const h = (day[status] / max) * plotH;
                top -= h;
                return <rect class={status} x={x.toFixed(1)} y={top.toFixed(1)} width={barW.toFixed(1)} height={Math.max(0.5, h).toFixed(1)} />;
              })}
              {(i % Math.ceil(days.length / 14) === 0) && <text x={(x + barW / 2).toFixed(1)} y={H - 8} text-anchor="middle">{day.day.slice(5)}</text>}
            </g>
          );
        })}
        {segments.map((s) => <polyline class="rate" points={s} />)}
        {points.filter((p) => p.rate !== null).map((p) => <circle class="dot" cx={p.x.toFixed(1)} cy={rateY(p.rate!).toFixed(1)} r="2.5" />)}
      </svg>
      <figcaption class="legend">
        {STATUS_ORDER.map((s) => <span><i class={s} />{LABEL[s]}</span>)}
        <span><i class="rate" />job success rate per day (right axis)</span>
      </figcaption>
      <details>
        <summary>Chart data</summary>
        <table id={`${id}-data`}>
          <thead><tr><th scope="col">Day</th>{STATUS_ORDER.map((s) => <th scope="col" class="num">{LABEL[s]}</th>)}<th scope="col" class="num">Success</th></tr></thead>
          <tbody>
            {days.map((day) => (
              <tr><th scope="row">{day.day}</th>{STATUS_ORDER.map((s) => <td class="num">{day[s]}</td>)}<td class="num">{formatRate(daySuccessRate(day))}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
