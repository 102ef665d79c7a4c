/** Reads `/metrics` of an app. */
export async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!/^text\/plain; version=0\.0\.4/.test(response.headers.get('content-type') ?? ''))
    throw new Error(`/metrics answered ${response.headers.get('content-type')}`);
  return response.text();
}

/** The value of one series, by its name and labels as Prometheus' text writes them; undefined when absent. */
export function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** How much one series grew between two scrapes (absent counts as 0). */
export const grew = (before: string, after: string, series: string): number =>
  (seriesValue(after, series) ?? 0) - (seriesValue(before, series) ?? 0);
