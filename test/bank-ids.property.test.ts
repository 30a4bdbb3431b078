/**
 * Payment ids of a bank import (src/core/bank.ts, assignPaymentIds): only the lines whose
 * shortest id collides are sorted and given longer ids. Property: the same ids as the plain
 * way (every line sorted by key, each taking its shortest id not yet taken), whatever the
 * order of the lines, the ids already taken and the collisions — forced here by a hash with
 * few distinct beginnings, where the real SHA-256 gives some 200 pairs in 85,000 lines.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignPaymentIds, paymentIdFor, type ProposalLine } from '../src/core/bank.js';

/** A hash whose first six digits take only `k` values, its next ones from SHA-256: many collisions, at 6 and at 8 digits. */
const weak = (k: number) => (s: string) => {
  const h = createHash('sha256').update(s).digest('hex');
  return `${(parseInt(h.slice(0, 4), 16) % k).toString(16).padStart(6, '0')}${h.slice(6, 8)}${h.slice(8)}`;
};

/** The plain way: every line in the order of its key, its shortest id not yet taken. */
function plain(lines: { key: string; received: string }[], hash: (s: string) => string, taken: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of [...lines].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const id = paymentIdFor(l.key, l.received, hash, (x) => taken.has(x));
    taken.add(id);
    out.set(l.key, id);
  }
  return out;
}

describe('payment ids of a bank import', () => {
  it('only the colliding lines sorted: the same ids as every line sorted, whatever the order and the ids taken', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ key: fc.stringMatching(/^CH93\|BK-[0-9]{1,4}\|(1|#[1-3])$/), received: fc.constantFrom('2026-03-02', '2026-03-03') }), { selector: (l) => l.key, maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.nat(200), { maxLength: 10 }),
        fc.boolean(),
        (lines, k, takenKeys, reverse) => {
          const hash = weak(k);
          // ids already in the books: those some keys would take, shortest or longer
          const taken = new Set(takenKeys.flatMap((n) => [paymentIdFor(`CH93|BK-${n}|1`, '2026-03-02', hash, () => false), `BNK-20260302-${hash(`CH93|BK-${n}|1`).slice(0, 8).toUpperCase()}`]));
          const expected = plain(lines, hash, new Set(taken));
          const booking = (reverse ? [...lines].reverse() : lines).map((l) => ({ ...l }) as ProposalLine);
          const mine = new Set(taken);
          assignPaymentIds(booking, hash, mine);
          expect(new Map(booking.map((l) => [l.key, l.paymentId!]))).toEqual(expected);
          expect(new Set(booking.map((l) => l.paymentId)).size).toBe(lines.length);
          for (const l of booking) expect(taken.has(l.paymentId!)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
