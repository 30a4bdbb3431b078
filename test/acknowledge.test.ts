/**
 * `finproc acknowledge` and `invoice --annex`: the acknowledgement's figures against an
 * independent path through the books (`arrears --as-of` the day received, payments.csv), and
 * the technical annex present only when asked for.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { booksWith, run } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-ack-'));
const csv = (file: string) => {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i]!, v])));
};
const cents = (s: string) => BigInt(s.replace('.', ''));

describe('finproc acknowledge', () => {
  it('each payment of August 2026: applied + credit = received, and what is left equals arrears on that day', async () => {
    const books = booksWith();
    const out = tmp();
    const r = await run(['acknowledge', '--from', '2026-08-01', '--to', '2026-08-18', '--books', books, '--format', 'html,md', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = csv(path.join(out, 'acknowledgements.csv'));
    const pays = csv(path.join(books, 'payments.csv')).filter((p) => p.received! >= '2026-08-01' && p.received! <= '2026-08-18' && (p.purpose === 'isu' || p.purpose === 'meeting'));
    expect(rows.map((x) => x.payment_id).sort()).toEqual(pays.map((p) => p.payment_id).sort());
    for (const x of rows) {
      const p = pays.find((q) => q.payment_id === x.payment_id)!;
      expect(x.chf).toBe(p.chf);
      expect(cents(x.applied!) + cents(x.credit!)).toBe(cents(x.chf!));
      const a = JSON.parse((await run(['arrears', '--as-of', x.received!, '--books', books, '--format', 'json'])).stdout) as { states: { iso3: string; outstanding: string }[] };
      expect(x.outstanding, x.payment_id).toBe(a.states.find((s) => s.iso3 === x.iso3)?.outstanding ?? '0.00');
      expect(readdirSync(out)).toContain(`${x.iso3}-ack-${x.payment_id}.html`);
      expect(x.document).toBe(`${x.iso3}-ack-${x.payment_id}.html`);
    }
    // CMR's payment of 4 August 2026 settled its 2021 invoice (English: the courtesy formulas).
    const md = readFileSync(path.join(out, 'CMR-ack-PAY-2026-00084.md'), 'utf8');
    expect(md).toContain('ISU-2021-020');
    const en = tmp();
    await run(['acknowledge', '--payment', 'PAY-2026-00084', '--books', books, '--lang', 'en', '--format', 'md', '--out', en]);
    const t = readFileSync(path.join(en, 'CMR-ack-PAY-2026-00084.md'), 'utf8');
    expect(t).toContain('presents its compliments to the Permanent Mission of Cameroon and has the honour to acknowledge with thanks the receipt, on 4 August 2026, of a payment of CHF 572.04.');
    expect(t).toContain('avails itself of this opportunity to renew to the Permanent Mission of Cameroon the assurances of its highest consideration.');
  }, 60_000);

  it('asks which payments, and refuses an unknown one', async () => {
    expect((await run(['acknowledge'])).code).toBe(2);
    const r = await run(['acknowledge', '--payment', 'PAY-NOPE']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such payment');
  });

  it('a period without payments says so and writes nothing (no empty list that reads as done)', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'finproc-ack-none-')), 'acks');
    const r = await run(['acknowledge', '--from', '2030-09-01', '--to', '2030-10-01', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no payment of an assessed contribution (isu, meeting) received from 2030-09-01 to 2030-10-01: nothing to acknowledge, nothing written');
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('invoice --annex', () => {
  it('adds the explain trace as a technical annex, and only when asked', async () => {
    const books = booksWith();
    const a = tmp();
    const b = tmp();
    await run(['invoice', '--year', '2026', '--books', books, '--states', 'SEN', '--format', 'md,html', '--preview', '--annex', '--lang', 'en', '--out', a]);
    await run(['invoice', '--year', '2026', '--books', books, '--states', 'SEN', '--format', 'md,html', '--preview', '--lang', 'en', '--out', b]);
    const withAnnex = readFileSync(path.join(a, 'SEN-ISU-2026-090.md'), 'utf8');
    const without = readFileSync(path.join(b, 'SEN-ISU-2026-090.md'), 'utf8');
    expect(withAnnex).toContain('Technical annex');
    expect(withAnnex).toContain('Quota before rounding');
    expect(withAnnex).toContain('ccm-illustrative');
    expect(without).not.toContain('Technical annex');
    expect(without).not.toContain('ccm-illustrative');
    expect(readFileSync(path.join(a, 'SEN-ISU-2026-090.html'), 'utf8')).toContain('<section class="annex" lang="en" dir="ltr">');
  });
});
