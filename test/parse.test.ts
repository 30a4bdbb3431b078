/** The strict scalar readers: what is accepted, and what is refused and why. */
import { describe, expect, it } from 'vitest';
import { parseAmount, parseDate, parseIso3, parseYear } from '../src/core/parse.js';

const ok = (r: { ok: boolean; value?: unknown }) => (r.ok ? String((r as { value: { toFixed?: () => string } }).value.toFixed?.() ?? r.value) : null);
const code = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

describe('parseAmount', () => {
  it('accepts plain decimals and Swiss apostrophes in groups of three', () => {
    expect(ok(parseAmount('618250.00'))).toBe('618250');
    expect(ok(parseAmount("618'250.00"))).toBe('618250');
    expect(ok(parseAmount('1’234’567.5'))).toBe('1234567.5');
    expect(ok(parseAmount(' 0.001 '))).toBe('0.001');
    expect(ok(parseAmount('0'))).toBe('0');
  });
  it('refuses a comma as ambiguous, whatever the delimiter', () => {
    for (const t of ['1,234', '1234,50', '1,234.50']) expect(code(parseAmount(t))).toBe('amount-ambiguous');
  });
  it('refuses dots or spaces used as thousands separators as ambiguous', () => {
    for (const t of ['1.234.567', '618 250.00']) expect(code(parseAmount(t))).toBe('amount-ambiguous');
  });
  it('refuses what is not a plain number', () => {
    for (const t of ['1e3', 'CHF 12', '12.', '.5', '+5', "12'34.00", "1'2345", '0012', 'NaN', 'Infinity']) expect(code(parseAmount(t)), t).toBe('amount-invalid');
    expect(code(parseAmount(''))).toBe('value-missing');
  });
  it('refuses negatives unless allowed', () => {
    expect(code(parseAmount('-5'))).toBe('amount-negative');
    expect(ok(parseAmount('-5', { allowNegative: true }))).toBe('-5');
  });
});

describe('parseDate', () => {
  it('accepts real ISO dates only', () => {
    expect(ok(parseDate('2024-02-29'))).toBe('2024-02-29');
    expect(code(parseDate('2025-02-29'))).toBe('date-invalid');
    expect(code(parseDate('2026-13-01'))).toBe('date-invalid');
  });
  it('refuses day/month orders it cannot tell', () => {
    expect(code(parseDate('12.5.2026'))).toBe('date-ambiguous');
    expect(code(parseDate('05/12/2026'))).toBe('date-ambiguous');
    expect(code(parseDate('2026/05/12'))).toBe('date-ambiguous');
    expect(code(parseDate('May 12 2026'))).toBe('date-invalid');
  });
});

describe('parseYear and parseIso3', () => {
  it('take four-digit years and upper-case alpha-3 codes', () => {
    expect(ok(parseYear('2026'))).toBe('2026');
    expect(code(parseYear('26'))).toBe('year-invalid');
    expect(ok(parseIso3('CHE'))).toBe('CHE');
    expect(code(parseIso3('che'))).toBe('iso3-invalid');
    expect(code(parseIso3('CH'))).toBe('iso3-invalid');
  });
});
