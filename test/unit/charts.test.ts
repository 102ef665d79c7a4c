import { statSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY, CHART_FONT_FILE, ChartFontSubsets } from '../../src/infra/charts/chart-font.js';
import { chartSvg, svgToPng } from '../../src/infra/charts/chart-png.js';
import { buildDigestCard, buildFunnelCard } from '../../src/messengers/lark/views/chart.card.js';
import { presentCharts } from '../../src/messengers/shared/presenters/charts.presenter.js';
import { CHART_SIZE, funnelChartOption, trendChartOption } from '../../src/messengers/slack/views/chart-options.js';
import { exampleFunnelReport } from '../support/chart-example.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

/** RGBA pixels of an SVG drawn with the chart font (or with no font at all). */
function pixels(svg: string, withFont: boolean): Buffer {
  const font = withFont
    ? { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY }
    : { loadSystemFonts: false };
  return new Resvg(svg, { font, logLevel: 'off' }).render().pixels;
}
const inked = (rgba: Buffer) => {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if ((rgba[i + 3] ?? 0) > 0 && (rgba[i] ?? 255) < 128) n++;
  return n;
};
const textSvg = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><text x="8" y="44" font-size="40" font-family="${CHART_FONT_FAMILY}">${text}</text></svg>`;

describe('charts drawn on the server', () => {
  const zh = presentCharts(exampleFunnelReport(), 'zh-CN');

  it('draws both charts as PNGs of the stated size, neither empty nor bloated', async () => {
    for (const option of [funnelChartOption(zh.funnel), trendChartOption(zh.trend)]) {
      const png = await svgToPng(await chartSvg(option, CHART_SIZE));
      expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(pngSize(png)).toEqual({ width: CHART_SIZE.width * 2, height: CHART_SIZE.height * 2 });
      expect(png.length).toBeGreaterThan(15_000);
      expect(png.length).toBeLessThan(400_000);
    }
  });

  it('puts the labels and numbers of the report into the chart', async () => {
    const funnel = await chartSvg(funnelChartOption(zh.funnel), CHART_SIZE);
    for (const label of ['新增线索  186', '已联系  141', '已确认  63', '已成交  17', '华东销售'])
      expect(funnel).toContain(label);
    const trend = await chartSvg(trendChartOption(zh.trend), CHART_SIZE);
    expect(trend).toContain('截至 2026-11-29 的 14 天');
    expect(trend).toContain('11-16');
    expect(trend).toContain('11-29');
  });

  it('draws Chinese as glyphs from the shipped font, not as boxes or nothing', () => {
    const lou = pixels(textSvg('漏'), true);
    const dou = pixels(textSvg('斗'), true);
    // Boxes ("tofu") would look the same for every missing character; real glyphs differ.
    expect(inked(lou)).toBeGreaterThan(150);
    expect(inked(dou)).toBeGreaterThan(100);
    expect(lou.equals(dou)).toBe(false);
    // Without the font nothing is drawn at all: the test above would fail if it were not loaded.
    expect(inked(pixels(textSvg('漏'), false))).toBe(0);
  });

  it('draws with a subset of the font that has the chart’s characters, cut once per character set', async () => {
    const subsets = new ChartFontSubsets();
    const file = await subsets.fileFor(textSvg('漏斗'));
    expect(await subsets.fileFor(textSvg('斗漏 2026'))).toBe(file);
    expect(await subsets.fileFor(textSvg('本周'))).not.toBe(file);
    expect(statSync(file).size).toBeLessThan(200_000); // of 10.5 MB
    const draw = (text: string) =>
      new Resvg(textSvg(text), {
        font: { fontFiles: [file], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
      }).render().pixels;
    expect(inked(draw('漏'))).toBe(inked(pixels(textSvg('漏'), true)));
    expect(inked(draw('Ab1'))).toBeGreaterThan(100);
    // The real path: three different pictures for two characters and none.
    const [lou, dou, none] = await Promise.all([
      svgToPng(textSvg('漏')),
      svgToPng(textSvg('斗')),
      svgToPng(textSvg('')),
    ]);
    expect(lou.equals(dou) || lou.equals(none) || dou.equals(none)).toBe(false);
  });

  it('draws the chart text with the font: thousands of pixels differ from the chart without it', async () => {
    for (const option of [funnelChartOption(zh.funnel), trendChartOption(zh.trend)]) {
      const svg = await chartSvg(option, CHART_SIZE);
      const [withFont, without] = [pixels(svg, true), pixels(svg, false)];
      let changed = 0;
      for (let i = 0; i < withFont.length; i += 4) if (withFont.readUInt32BE(i) !== without.readUInt32BE(i)) changed++;
      expect(changed).toBeGreaterThan(3_000);
    }
  });

  it('gives Lark the same numbers as native chart elements', () => {
    const funnelCard = buildFunnelCard('numbers', zh);
    const charts = funnelCard.body.elements.filter((e) => e.tag === 'chart') as {
      chart_spec: { type: string; data: { values: Record<string, unknown>[] } };
    }[];
    expect(charts.map((c) => c.chart_spec.type)).toEqual(['funnel', 'line']);
    expect(charts[0]?.chart_spec.data.values).toEqual([
      { stage: '新增线索', count: 186 },
      { stage: '已联系', count: 141 },
      { stage: '已确认', count: 63 },
      { stage: '已成交', count: 17 },
    ]);
    const trend = charts[1]?.chart_spec.data.values ?? [];
    expect(trend).toHaveLength(14 * 3);
    expect(trend[0]).toEqual({ day: '11-16', series: '新增线索', count: exampleFunnelReport().trend[0]?.leadsIn });
    const digest = buildDigestCard({ title: 'Digest', summary: 'summary', sections: [], cut: '…' }, zh);
    expect(digest.body.elements.map((e) => e.tag)).toEqual(['div', 'chart', 'chart']);
    expect(JSON.stringify(digest).length).toBeLessThan(30_000);
  });
});
