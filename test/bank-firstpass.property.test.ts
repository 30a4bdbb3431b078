/**
 * Pass 1 over a large bank file (src/io/bankfile.ts `firstPass`) tells whether its bytes are
 * UTF-8 by isUtf8, window by window, carrying a character cut by a window's end, and counts
 * its text's length from the bytes. Property: it gives what decoding the whole file does
 * (TextDecoder, fatal, as readFile reads a file): undefined exactly when that throws (or the
 * file is a ZIP, has "<!", or does not start with "<"), else the same SHA-256, byte order
 * marks skipped, first 4000 characters, and whether the text is longer than the limit; with
 * windows of 16 to 40 bytes, so that characters of two to four bytes straddle them, and bytes
 * damaged or cut short anywhere.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstPass, type BankFileOnDisk } from '../src/io/bankfile.js';

function memFile(bytes: Uint8Array): BankFileOnDisk {
  return {
    size: bytes.length,
    readAt(buf, pos) {
      const n = Math.max(0, Math.min(buf.length, bytes.length - pos));
      buf.set(bytes.subarray(pos, pos + n));
      return n;
    },
  };
}

/** The rule as it was: the whole file decoded (one byte order mark left out by the decoder, a second by readFile). */
function oracle(bytes: Uint8Array, limit: number) {
  const b = Buffer.from(bytes);
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return undefined;
  if (b.indexOf('<!') >= 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
  let skip = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    skip += 3;
  }
  if (!/^\s*</.test(text)) return undefined;
  return { sha256: createHash('sha256').update(b).digest('hex'), skip, longer: text.length > limit, start: text.slice(0, 4000) };
}

const chars = fc.constantFrom('<', '>', 'a', 'Z', ' ', '\n', '!', 'é', 'ü', '€', '😀', '\u00a0', '\ufeff', 'Ntry', '<Ntry>');
const text = fc.array(chars, { minLength: 0, maxLength: 120 }).map((a) => `<${a.join('')}`);
/** The bytes of a text, with a byte order mark (or two) or not, and damaged or not: a byte changed, or the file cut short. */
const file = fc
  .record({
    text,
    boms: fc.constantFrom(0, 0, 1, 2),
    damage: fc.option(fc.record({ at: fc.nat(), kind: fc.constantFrom('byte', 'cut'), byte: fc.integer({ min: 0x80, max: 0xff }) }), { nil: undefined, freq: 2 }),
  })
  .map(({ text, boms, damage }) => {
    const b = Buffer.from('\ufeff'.repeat(boms) + text, 'utf8');
    if (!damage || b.length === 0) return new Uint8Array(b);
    const at = damage.at % b.length;
    if (damage.kind === 'cut') return new Uint8Array(b.subarray(0, at));
    b[at] = damage.byte;
    return new Uint8Array(b);
  });

describe('firstPass: UTF-8 told window by window, as the whole file decoded', () => {
  it('gives what decoding the whole file gives, at any window and limit', () => {
    fc.assert(
      fc.property(file, fc.integer({ min: 16, max: 40 }), fc.integer({ min: 0, max: 200 }), (bytes, window, limit) => {
        expect(firstPass('f.xml', memFile(bytes), window, limit)).toEqual(oracle(bytes, limit));
      }),
      { numRuns: 3000 },
    );
  });

  it('the first 4000 characters of a long text, from a window that holds more (only the bytes they need are decoded)', () => {
    // (no "!": in a text this long, a "<!" would be nearly certain, and the file refused before its start is read)
    const long = fc.array(fc.constantFrom('<', 'a', ' ', '\n', 'é', '€', '😀', '\ufeff', '<Ntry>'), { minLength: 4000, maxLength: 6000 }).map((a) => `<${a.join('')}`);
    fc.assert(
      fc.property(long, fc.constantFrom(16, 4093, 16_384, 65_536), fc.integer({ min: 4000, max: 20_000 }), (t, window, limit) => {
        const bytes = new Uint8Array(Buffer.from(t));
        expect(oracle(bytes, limit)?.start).toHaveLength(4000);
        expect(firstPass('f.xml', memFile(bytes), window, limit)).toEqual(oracle(bytes, limit));
      }),
      { numRuns: 200 },
    );
  });

  it('a text of exactly the limit is not longer; one unit more is (a character of four bytes counts two)', () => {
    const t = `<a>${'😀'.repeat(20)}</a>`; // 7 + 40 units, 87 bytes
    for (const window of [16, 17, 18, 19]) {
      expect(firstPass('f.xml', memFile(Buffer.from(t)), window, t.length)?.longer).toBe(false);
      expect(firstPass('f.xml', memFile(Buffer.from(t)), window, t.length - 1)?.longer).toBe(true);
    }
  });

  it('a character cut short at the very end of the file, or split by a window and damaged: not UTF-8', () => {
    const b = Buffer.from('<a>€€€€€€€€€€€€</a>');
    expect(firstPass('f.xml', memFile(b.subarray(0, 7)), 16, 100)).toBeUndefined(); // "<a>€" cut after 1 of 3 bytes
    const cut = Buffer.from(b);
    cut[17] = 0x41; // the last byte of a "€" that straddles the first window's end
    expect(firstPass('f.xml', memFile(cut), 16, 100)).toBeUndefined();
    expect(firstPass('f.xml', memFile(b), 16, 100)?.start).toBe('<a>€€€€€€€€€€€€</a>');
  });
});
