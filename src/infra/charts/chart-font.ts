import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Noto Sans SC (Latin and Chinese), shipped as a package: the machines have no CJK font of their own. */
export const CHART_FONT_FAMILY = 'Noto Sans SC';
export const CHART_FONT_FILE = createRequire(import.meta.url).resolve(
  '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
);

/** Printable ASCII is always kept: axis numbers, dates and Latin names need no look-up. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const CACHED_SUBSETS = 256;

/**
 * The font cut down to the characters one chart shows. Drawing text with the whole 10 MB font
 * costs resvg about 6 ms per text element (a chart has 20 or more); with a subset of a few dozen
 * glyphs it is well under 1 ms, and cutting one costs about 10 ms. Subsets are files (resvg takes
 * font paths), kept per character set in a small cache under a private temporary folder.
 */
export class ChartFontSubsets {
  private font: Buffer | null = null;
  private folder: string | null = null;
  private readonly files = new Map<string, Promise<string>>();
  private made = 0;

  /** The path of a font holding every character of `text` (that the full font has). */
  fileFor(text: string): Promise<string> {
    const key = [...new Set(text)]
      .filter((c) => c > '~')
      .sort()
      .join('');
    const known = this.files.get(key);
    if (known) {
      // Most recently used last: the oldest falls out first.
      this.files.delete(key);
      this.files.set(key, known);
      return known;
    }
    const made = this.cut(key);
    this.files.set(key, made);
    made.catch(() => this.files.delete(key));
    this.evict();
    return made;
  }

  private async cut(characters: string): Promise<string> {
    const { default: subsetFont } = await import('subset-font');
    this.font ??= readFileSync(CHART_FONT_FILE);
    const subset = await subsetFont(this.font, ASCII + characters, { targetFormat: 'truetype' });
    const path = join(this.dir(), `subset-${++this.made}.ttf`);
    await writeFile(path, subset);
    return path;
  }

  /** Forgets the least recently used; its file stays until exit, as a render may still be reading it. */
  private evict(): void {
    for (const key of this.files.keys()) {
      if (this.files.size <= CACHED_SUBSETS) return;
      this.files.delete(key);
    }
  }

  private dir(): string {
    if (!this.folder) {
      const folder = mkdtempSync(join(tmpdir(), 'leadpool-chart-fonts-'));
      this.folder = folder;
      process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    }
    return this.folder;
  }
}
