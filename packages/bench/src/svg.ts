/**
 * Hand-written SVG bar charts for the docs: horizontal bars with their labels and values, no chart
 * library. Cachet's bars are drawn in the accent colour.
 */

/** One bar. */
export interface Bar {
  label: string;
  value: number;
  /** Shown at the end of the bar; default the value. */
  text?: string;
  /** Drawn in the accent colour (Cachet's rows). */
  highlight?: boolean;
}

/** Widths of the label column, the bars' room and the room for the values after them. */
interface Columns {
  label: number;
  bars: number;
  text: number;
}

const BAR_COLUMNS: Columns = { label: 300, bars: 320, text: 170 };
const DIVERGING_COLUMNS: Columns = { label: 130, bars: 400, text: 260 };
const ROW = 24;
const TOP = 52;
const ACCENT = '#2563eb';
const MUTED = '#9ca3af';
const NEGATIVE = '#dc2626';

/** A horizontal bar chart: bars from 0, scaled to the largest value. */
export function barChart(title: string, subtitle: string, bars: Bar[]): string {
  const { label: left, bars: room } = BAR_COLUMNS;
  const max = Math.max(...bars.map((bar) => bar.value), Number.MIN_VALUE);
  const body = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const width = Math.max(1, (bar.value / max) * room);
    return [
      label(bar.label, left, y, bar.highlight),
      `<rect x="${left}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" rx="2" fill="${bar.highlight ? ACCENT : MUTED}"/>`,
      text(bar.text ?? String(bar.value), left + width + 6, y),
    ].join('');
  });
  return frame(title, subtitle, BAR_COLUMNS, bars.length, body);
}

/**
 * A diverging bar chart around 0: positive bars go right in the accent colour, negative ones left in
 * red, scaled to the largest magnitude.
 */
export function divergingChart(title: string, subtitle: string, bars: Bar[]): string {
  const { label: left, bars: room } = DIVERGING_COLUMNS;
  const max = Math.max(...bars.map((bar) => Math.abs(bar.value)), Number.MIN_VALUE);
  // The axis sits where the largest negative bar needs it: at least a tenth of the room on its left.
  const negative = Math.max(0, ...bars.map((bar) => -bar.value));
  const leftShare = Math.min(0.5, Math.max(0.1, negative / (negative + max)));
  const zero = left + room * leftShare;
  const scale = (room * (1 - leftShare) - 4) / max;
  const body = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const width = Math.max(1, Math.abs(bar.value) * scale);
    const x = bar.value >= 0 ? zero : zero - width;
    const end = bar.value >= 0 ? zero + width + 6 : zero + 6;
    return [
      label(bar.label, left, y, false),
      `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" rx="2" fill="${bar.value >= 0 ? ACCENT : NEGATIVE}"/>`,
      text(bar.text ?? String(bar.value), end, y),
    ].join('');
  });
  const axis = `<line x1="${zero}" y1="${TOP - 4}" x2="${zero}" y2="${TOP + bars.length * ROW}" stroke="#374151" stroke-width="1"/>`;
  return frame(title, subtitle, DIVERGING_COLUMNS, bars.length, [...body, axis]);
}

function frame(title: string, subtitle: string, columns: Columns, rows: number, body: string[]): string {
  const width = columns.label + columns.bars + columns.text;
  const height = TOP + rows * ROW + 12;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#111827">${escapeXml(title)}</text>`,
    `<text x="12" y="40" font-size="12" fill="#4b5563">${escapeXml(subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function label(value: string, left: number, y: number, bold: boolean | undefined): string {
  const weight = bold ? ' font-weight="600"' : '';
  return `<text x="${left - 8}" y="${y + ROW / 2 + 4}" text-anchor="end" fill="#111827"${weight}>${escapeXml(value)}</text>`;
}

function text(value: string, x: number, y: number): string {
  return `<text x="${x.toFixed(1)}" y="${y + ROW / 2 + 4}" fill="#374151">${escapeXml(value)}</text>`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
