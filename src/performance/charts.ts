// Charts drawn on the server as SVG: no JavaScript, nothing inline that the CSP forbids (colours are presentation
// attributes), and each one an image with a title and a description for screen readers (role="img",
// aria-labelledby). Every chart comes with a table of exactly the numbers it draws: the page shows it beside
// the chart, and each bar or point carries its value in data-value so a test can compare the two.

export type Series = Readonly<{
  name: string;
  values: readonly (number | null)[];
  /** How a value reads in the table (the chart only draws numbers; null is drawn as a gap). */
  format: (value: number | null) => string;
}>;

export type ChartInput = Readonly<{
  id: string;
  title: string;
  description: string;
  /** The first column's heading in the table: 'Month', 'Week beginning', 'Page'. */
  categoryHeading: string;
  /** Labels in the table (long) and on the axis (short). */
  categories: readonly string[];
  axisLabels?: readonly string[];
  /** The y axis: 'Working days', 'Applications', 'Percentage of journeys started'. */
  unit: string;
  series: readonly Series[];
  /** A fixed top of the scale, e.g. 100 for percentages. */
  max?: number;
}>;

export type Chart = Readonly<{
  id: string;
  title: string;
  description: string;
  svg: string;
  table: Readonly<{ caption: string; head: readonly string[]; rows: readonly (readonly string[])[] }>;
}>;

// GOV.UK colours with at least 3:1 contrast against white (WCAG 1.4.11) and against each other's hue for the
// common colour-vision deficiencies; the legend and the table name every series anyway.
export const SERIES_COLOURS = ['#1d70b8', '#00703c', '#4c2c92'] as const;
const TEXT = '#0b0c0c';
const GRID = '#b1b4b6';

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const num = (n: number): string => String(Math.round(n * 10) / 10);

/** A round number at or above the largest value, and the step between grid lines. */
function scale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 5, step: 1 };
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  return { top: Math.ceil(max / step) * step, step };
}

function tableOf(input: ChartInput): Chart['table'] {
  return {
    caption: input.title,
    head: [input.categoryHeading, ...input.series.map((s) => s.name)],
    rows: input.categories.map((category, i) => [
      category,
      ...input.series.map((s) => s.format(s.values[i] ?? null)),
    ]),
  };
}

function frame(input: ChartInput, width: number, height: number, body: string): string {
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="${input.id}" role="img" ` +
    `aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="100%" ` +
    `preserveAspectRatio="xMinYMin meet" font-family="GDS Transport, arial, sans-serif" font-size="13">` +
    `<title id="${titleId}">${escapeXml(input.title)}</title>` +
    `<desc id="${descId}">${escapeXml(input.description)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    body +
    `</svg>`
  );
}

function legend(input: ChartInput, x: number, y: number, dashed: readonly boolean[] = []): string {
  let offset = x;
  return input.series
    .map((s, i) => {
      const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]!;
      const swatch = dashed[i]
        ? `<line x1="${offset}" y1="${y - 4}" x2="${offset + 18}" y2="${y - 4}" stroke="${colour}" stroke-width="3" stroke-dasharray="5 3"/>`
        : `<rect x="${offset}" y="${y - 11}" width="14" height="14" fill="${colour}"/>`;
      const text = `<text x="${offset + 22}" y="${y}" fill="${TEXT}">${escapeXml(s.name)}</text>`;
      offset += 30 + s.name.length * 7.5;
      return swatch + text;
    })
    .join('');
}

type Plot = { left: number; top: number; width: number; height: number; max: number };

function axes(input: ChartInput, plot: Plot, labels: readonly string[], slot: number): string {
  const { top: yTop, step } = scale(input.max ?? plot.max);
  let out = '';
  for (let v = 0; v <= yTop + step / 2; v += step) {
    const y = plot.top + plot.height - (v / yTop) * plot.height;
    out += `<line x1="${plot.left}" y1="${num(y)}" x2="${plot.left + plot.width}" y2="${num(y)}" stroke="${GRID}" stroke-width="1"/>`;
    out += `<text x="${plot.left - 6}" y="${num(y + 4)}" text-anchor="end" fill="${TEXT}">${num(v)}</text>`;
  }
  out += `<text x="14" y="${plot.top + plot.height / 2}" text-anchor="middle" fill="${TEXT}" transform="rotate(-90 14 ${plot.top + plot.height / 2})">${escapeXml(input.unit)}</text>`;
  // At most about 12 axis labels; the table has every one.
  const every = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const x = plot.left + slot * i + slot / 2;
    out += `<text x="${num(x)}" y="${plot.top + plot.height + 18}" text-anchor="middle" fill="${TEXT}">${escapeXml(label)}</text>`;
  });
  out += `<line x1="${plot.left}" y1="${plot.top + plot.height}" x2="${plot.left + plot.width}" y2="${plot.top + plot.height}" stroke="${TEXT}" stroke-width="1"/>`;
  return out;
}

const maxOf = (input: ChartInput): number =>
  Math.max(0, ...input.series.flatMap((s) => s.values.filter((v): v is number => v !== null)));

const PLOT = { left: 60, top: 40, width: 560, height: 220 };
const WIDTH = 640;
const HEIGHT = 300;

/** Vertical bars, one group per category, one bar per series. */
export function barChart(input: ChartInput): Chart {
  const plot: Plot = { ...PLOT, max: maxOf(input) };
  const { top: yTop } = scale(input.max ?? plot.max);
  const n = input.categories.length;
  const slot = plot.width / Math.max(1, n);
  const barWidth = Math.max(1, (slot * 0.8) / input.series.length);
  let bars = '';
  input.series.forEach((s, si) => {
    const colour = SERIES_COLOURS[si % SERIES_COLOURS.length]!;
    s.values.forEach((value, ci) => {
      if (value === null) return;
      const h = (value / yTop) * plot.height;
      const x = plot.left + slot * ci + slot * 0.1 + barWidth * si;
      bars +=
        `<rect class="app-chart__bar" x="${num(x)}" y="${num(plot.top + plot.height - h)}" width="${num(barWidth)}" ` +
        `height="${num(h)}" fill="${colour}" data-series="${si}" data-category="${ci}" data-value="${value}"/>`;
    });
  });
  const body =
    legend(input, plot.left, 20) + axes(input, plot, input.axisLabels ?? input.categories, slot) + bars;
  return { ...meta(input), svg: frame(input, WIDTH, HEIGHT, body), table: tableOf(input) };
}

/** Lines with a point per category; a suppressed value breaks the line. The second series is dashed. */
export function lineChart(input: ChartInput): Chart {
  const plot: Plot = { ...PLOT, max: maxOf(input) };
  const { top: yTop } = scale(input.max ?? plot.max);
  const n = input.categories.length;
  const slot = plot.width / Math.max(1, n);
  let lines = '';
  input.series.forEach((s, si) => {
    const colour = SERIES_COLOURS[si % SERIES_COLOURS.length]!;
    const point = (v: number, ci: number) => ({
      x: plot.left + slot * ci + slot / 2,
      y: plot.top + plot.height - (v / yTop) * plot.height,
    });
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) {
        lines += `<polyline points="${run.join(' ')}" fill="none" stroke="${colour}" stroke-width="3"${si > 0 ? ' stroke-dasharray="8 4"' : ''}/>`;
      }
      run = [];
    };
    s.values.forEach((value, ci) => {
      if (value === null) return flush();
      const p = point(value, ci);
      run.push(`${num(p.x)},${num(p.y)}`);
    });
    flush();
    s.values.forEach((value, ci) => {
      if (value === null) return;
      const p = point(value, ci);
      lines +=
        `<circle class="app-chart__point" cx="${num(p.x)}" cy="${num(p.y)}" r="4" fill="${colour}" ` +
        `data-series="${si}" data-category="${ci}" data-value="${value}"/>`;
    });
  });
  const body =
    legend(
      input,
      plot.left,
      20,
      input.series.map((_s, i) => i > 0),
    ) +
    axes(input, plot, input.axisLabels ?? input.categories, slot) +
    lines;
  return { ...meta(input), svg: frame(input, WIDTH, HEIGHT, body), table: tableOf(input) };
}

/** Horizontal bars with the category written above each bar: for long labels such as question pages. */
export function horizontalBarChart(input: ChartInput): Chart {
  const series = input.series[0];
  const rowHeight = 44;
  const left = 8;
  const width = WIDTH - left - 70;
  const max = input.max ?? Math.max(1, maxOf(input));
  let body = '';
  input.categories.forEach((category, i) => {
    const y = 16 + i * rowHeight;
    const label = category.length > 85 ? `${category.slice(0, 84)}…` : category;
    body += `<text x="${left}" y="${y + 4}" fill="${TEXT}">${escapeXml(label)}</text>`;
    const value = series?.values[i] ?? null;
    if (value === null) {
      body += `<text x="${left}" y="${y + 26}" fill="${TEXT}">${escapeXml(series?.format(null) ?? '')}</text>`;
      return;
    }
    const w = (value / max) * width;
    body +=
      `<rect class="app-chart__bar" x="${left}" y="${y + 10}" width="${num(Math.max(w, 1))}" height="20" ` +
      `fill="${SERIES_COLOURS[0]}" data-series="0" data-category="${i}" data-value="${value}"/>` +
      `<text x="${num(left + Math.max(w, 1) + 6)}" y="${y + 25}" fill="${TEXT}">${escapeXml(series!.format(value))}</text>`;
  });
  const height = 16 + input.categories.length * rowHeight;
  return { ...meta(input), svg: frame(input, WIDTH, height, body), table: tableOf(input) };
}

const meta = (input: ChartInput) => ({ id: input.id, title: input.title, description: input.description });
