import type { EChartsOption } from 'echarts';
import { CHART_FONT_FAMILY, ChartFontSubsets } from './chart-font.js';

/**
 * Charts as PNG, drawn on the server with no browser, canvas or system font: ECharts renders SVG
 * (its server-side renderer), resvg turns that into pixels on libuv's thread pool (the event loop
 * stays free for Slack's 3 s acknowledgements), and the Chinese labels use Noto Sans SC, shipped
 * as a package and cut down to each chart's characters, with system fonts off so a machine's fonts
 * never change the picture.
 */
const fonts = new ChartFontSubsets();

export interface ChartSize {
  width: number;
  height: number;
}

/** Pixels per SVG unit: a 720-wide chart becomes 1440 pixels, sharp on high-density screens. */
const SCALE = 2;

// Loaded on the first chart (about 0.4 s), not at every start of the bot or of a test.
const libraries = () => Promise.all([import('echarts'), import('@resvg/resvg-js')]);

export async function chartSvg(option: EChartsOption, size: ChartSize): Promise<string> {
  const [echarts] = await libraries();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export async function svgToPng(svg: string): Promise<Buffer> {
  const [[, resvg], fontFile] = await Promise.all([libraries(), fonts.fileFor(svg)]);
  const image = await resvg.renderAsync(svg, {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: SCALE },
    logLevel: 'off',
  });
  return image.asPng();
}

export async function renderChartPng(option: EChartsOption, size: ChartSize): Promise<Buffer> {
  return svgToPng(await chartSvg(option, size));
}
