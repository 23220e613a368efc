/**
 * Server-rendered SVG charts (issue 15): no chart runtime reaches the browser. Each chart is a
 * figure whose SVG carries a one-sentence summary for screen readers, with the same numbers in a
 * table underneath (a disclosure on screen, always shown when printed).
 */
import { useId, type ReactNode } from "react";

export interface Bar {
  label: string;
  value: number;
  /** Shown on the bar and in the table (defaults to the value). */
  display?: string;
}

const WIDTH = 640;
const ROW = 28;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 70;

/** Horizontal bars: long labels stay readable, and the chart fits a phone by scaling. */
export function BarChart({ title, summary, bars, valueHeading, max, caption }: { title: string; summary: string; bars: Bar[]; valueHeading: string; max?: number; caption?: ReactNode }) {
  const id = useId();
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = bars.length * ROW + 8;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart__title">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={summary} className="chart__svg" preserveAspectRatio="xMinYMin meet">
        {bars.map((bar, i) => {
          const y = i * ROW + 4;
          const w = Math.max(0, (bar.value / top) * plot);
          return (
            <g key={bar.label}>
              <text x={LABEL_WIDTH - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle" className="chart__label">
                {bar.label.length > 30 ? `${bar.label.slice(0, 29)}…` : bar.label}
              </text>
              <rect x={LABEL_WIDTH} y={y + 4} width={w} height={ROW - 10} rx={3} className="chart__bar" />
              <text x={LABEL_WIDTH + w + 6} y={y + ROW / 2} dominantBaseline="middle" className="chart__value">
                {bar.display ?? bar.value.toLocaleString("en-GB")}
              </text>
            </g>
          );
        })}
      </svg>
      {caption ? <p className="chart__caption">{caption}</p> : null}
      <details className="chart__data">
        <summary>{title}: the numbers as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">{valueHeading}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.display ?? bar.value.toLocaleString("en-GB")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export const percent = (share: number, digits = 0) => `${(share * 100).toFixed(digits)}%`;
