/**
 * Hostile bank files (found by the review): a device, a ZIP bomb, a ZIP naming a file outside
 * itself, a ZIP inside a ZIP. Each is refused with a clear message and exit 1 or 2, before
 * anything is inflated or read, and nothing is written.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { booksWith, ROOT, run } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-bank-hostile-'));

/** A stored (uncompressed) ZIP whose directory declares `size` bytes for one member: a bomb's directory, without the bytes. */
function declaredBomb(size: number): Uint8Array {
  const z = zipSync({ 'big.xml': [strToU8('<a/>'), { level: 0 }] });
  const view = new DataView(z.buffer, z.byteOffset, z.byteLength);
  // the central directory entry: signature 0x02014b50, uncompressed size at offset 24
  for (let i = z.length - 22; i >= 0; i--)
    if (view.getUint32(i, true) === 0x02014b50) {
      view.setUint32(i + 24, size, true);
      break;
    }
  return z;
}

describe('hostile bank files', () => {
  it('a camt file cut short after a whole entry says so, at its end, not an internal list at 1:1', async () => {
    const dir = tmp();
    const full = readFileSync(path.join(ROOT, 'data', 'bank', 'camt054-example.xml'), 'utf8');
    const cut = full.slice(0, full.indexOf('</Ntry>') + 7);
    writeFileSync(path.join(dir, 'cut.xml'), cut);
    const r = await run(['bank', 'import', 'cut.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = cut.split('\n');
    expect(r.stderr).toContain(`cut.xml:${lines.length}:${lines[lines.length - 1]!.length}: error [bank-file] the file ends before its elements close (Document > BkToCstmrDbtCdtNtfctn > Ntfctn still open): it is cut short`);
  });

  it('a device is refused at once (no read of /dev/zero), exit 2', async () => {
    const r = await run(['bank', 'import', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/dev/zero: not a regular file (a device or a pipe)');
  });

  it('a ZIP whose members would unpack to more than the limit is refused from its directory, nothing inflated', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'bomb.zip'), declaredBomb(0xfff00000));
    const r = await run(['bank', 'import', 'bomb.zip'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bomb.zip: error [bank-file] the ZIP archive unpacks to more than 1024 MB (at big.xml): refused, nothing read');
  });

  it('a ZIP naming a file outside itself, or holding another ZIP, is refused and says why; --apply writes nothing', async () => {
    const dir = tmp();
    const books = booksWith();
    const before = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    writeFileSync(path.join(dir, 'trav.zip'), zipSync({ '../../../x.xml': strToU8('<a/>') }));
    writeFileSync(path.join(dir, 'nest.zip'), zipSync({ 'inner.zip': zipSync({ 'a.xml': strToU8('<a/>') }) }));
    const t = await run(['bank', 'import', 'trav.zip', '--books', books, '--apply'], { cwd: dir });
    expect(t.code).toBe(1);
    expect(t.stderr).toContain('the ZIP archive names a file outside itself (../../../x.xml): refused, nothing read');
    const n = await run(['bank', 'import', 'nest.zip', '--books', books, '--apply'], { cwd: dir });
    expect(n.code).toBe(1);
    expect(n.stderr).toContain('the ZIP archive holds another archive (inner.zip): refused');
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(before);
  });
});
