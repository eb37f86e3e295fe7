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

const LABEL_WIDTH = 290;
const BAR_SPACE = 330;
const TEXT_SPACE = 170;
const WIDTH = LABEL_WIDTH + BAR_SPACE + TEXT_SPACE;
const ROW = 24;
const TOP = 52;
const ACCENT = '#2563eb';
const MUTED = '#9ca3af';
const NEGATIVE = '#dc2626';

/** A horizontal bar chart: bars from 0, scaled to the largest value. */
export function barChart(title: string, subtitle: string, bars: Bar[]): string {
  const max = Math.max(...bars.map((bar) => bar.value), Number.MIN_VALUE);
  const body = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const width = Math.max(1, (bar.value / max) * BAR_SPACE);
    return [
      label(bar.label, y, bar.highlight),
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" rx="2" fill="${bar.highlight ? ACCENT : MUTED}"/>`,
      text(bar.text ?? String(bar.value), LABEL_WIDTH + width + 6, y),
    ].join('');
  });
  return frame(title, subtitle, bars.length, body);
}

/**
 * A diverging bar chart around 0: positive bars go right in the accent colour, negative ones left in
 * red, scaled to the largest magnitude.
 */
export function divergingChart(title: string, subtitle: string, bars: Bar[]): string {
  const max = Math.max(...bars.map((bar) => Math.abs(bar.value)), Number.MIN_VALUE);
  const half = BAR_SPACE / 2;
  const zero = LABEL_WIDTH + half;
  const body = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const width = Math.max(1, (Math.abs(bar.value) / max) * (half - 4));
    const x = bar.value >= 0 ? zero : zero - width;
    const end = bar.value >= 0 ? zero + width + 6 : zero + 6;
    return [
      label(bar.label, y, false),
      `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" rx="2" fill="${bar.value >= 0 ? ACCENT : NEGATIVE}"/>`,
      text(bar.text ?? String(bar.value), Math.max(end, zero + 6), y),
    ].join('');
  });
  const axis = `<line x1="${zero}" y1="${TOP - 4}" x2="${zero}" y2="${TOP + bars.length * ROW}" stroke="#374151" stroke-width="1"/>`;
  return frame(title, subtitle, bars.length, [...body, axis]);
}

function frame(title: string, subtitle: string, rows: number, body: string[]): string {
  const height = TOP + rows * ROW + 12;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#111827">${escapeXml(title)}</text>`,
    `<text x="12" y="40" font-size="12" fill="#4b5563">${escapeXml(subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function label(value: string, y: number, bold: boolean | undefined): string {
  const weight = bold ? ' font-weight="600"' : '';
  return `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end" fill="#111827"${weight}>${escapeXml(value)}</text>`;
}

function text(value: string, x: number, y: number): string {
  return `<text x="${x.toFixed(1)}" y="${y + ROW / 2 + 4}" fill="#374151">${escapeXml(value)}</text>`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
