import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { type CountryCode, getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { validReading } from '../../src/domain/intake/normalize.js';

/** Every region's example mobile, and the same digits with one changed, read in their own and other regions. */
function numbers(): { text: string; region: CountryCode }[] {
  const out: { text: string; region: CountryCode }[] = [];
  const countries = getCountries();
  for (const [i, country] of countries.entries()) {
    const national = getExampleNumber(country, examples)?.nationalNumber;
    if (!national) continue;
    const other = countries[(i * 7 + 3) % countries.length] as CountryCode;
    for (let d = 0; d < national.length; d++) {
      const changed = `${national.slice(0, d)}${(Number(national[d]) + 1 + d) % 10}${national.slice(d + 1)}`;
      for (const text of [national, changed, changed.slice(0, -1)]) {
        out.push({ text, region: country }, { text, region: other });
      }
    }
  }
  return out;
}

describe('a phone number read once for both validity and type', () => {
  it('is valid exactly when isValid() says so, with the type getType() gives, in every region', () => {
    const cases = numbers();
    let valid = 0;
    for (const { text, region } of cases) {
      const parsed = parsePhoneNumberFromString(text, region);
      const reading = validReading(parsed);
      expect(reading !== null, `${text} in ${region}`).toBe(parsed?.isValid() ?? false);
      if (reading) {
        valid++;
        expect(reading.type).toBe(parsed?.getType());
      }
    }
    // Both outcomes are exercised, over thousands of numbers.
    expect(cases.length).toBeGreaterThan(5000);
    expect(valid).toBeGreaterThan(cases.length / 10);
    expect(valid).toBeLessThan(cases.length);
  });
});
