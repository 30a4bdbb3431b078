/**
 * send against hostile documents directories (found in review): a manifest.json or a PDF that
 * is a link to /dev/zero was read without end (the process died of std::bad_alloc, exit 134),
 * and a damaged manifest was reported without a line and column.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentPdf } from '../src/io/dispatch.js';
import { dispatchTable, type DispatchReport } from '../src/render/dispatch.js';
import { loadManifest, readCapped, type ManifestDocument } from '../src/io/manifest.js';
import type { Problem } from '../src/core/problem.js';
import { booksWith, run } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-review-send-'));
const DOC: ManifestDocument = {
  document: 'AUT-ISU-2026-006',
  iso3: 'AUT',
  kind: 'invoice',
  number: 'ISU-2026-006',
  year: 2026,
  date: '2026-01-15',
  due: '2026-02-14',
  currency: 'CHF',
  total: '9030.79',
  reference: 'RF53ISU2026006',
  replaces: '',
  level: null,
  invoices: [],
  lang: 'en',
  files: [{ format: 'pdf', file: 'AUT-ISU-2026-006.pdf', sha256: '0'.repeat(64) }],
};

describe('send reads only regular files, and only so much of them', () => {
  it('a manifest.json linked to /dev/zero is a located error, not a crash', async () => {
    const dir = tmp();
    symlinkSync('/dev/zero', path.join(dir, 'manifest.json'));
    const problems: Problem[] = [];
    expect(loadManifest(dir, (p) => p, problems)).toBeUndefined();
    expect(problems[0]!.message).toMatch(/manifest\.json is not a regular file/);
    const r = await run(['send', dir, '--books', booksWith(), '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/manifest\.json: error \[file-unreadable\] manifest\.json is not a regular file/);
  });

  it('a PDF linked to /dev/zero is refused with the reason, not read', () => {
    const dir = tmp();
    symlinkSync('/dev/zero', path.join(dir, 'AUT-ISU-2026-006.pdf'));
    const r = documentPdf(dir, DOC);
    expect('reason' in r && r.reason).toBe('AUT-ISU-2026-006.pdf is not a regular file (a device, a FIFO or a directory)');
  });

  it('a file larger than the limit is refused before it is read; a small one is read whole', () => {
    const dir = tmp();
    const f = path.join(dir, 'x');
    writeFileSync(f, 'x'.repeat(3 * 1024 * 1024));
    expect(readCapped(f, 2 * 1024 * 1024)).toEqual({ reason: 'is 3 MB: at most 2 MB is read' });
    const ok = readCapped(f, 4 * 1024 * 1024);
    expect(Buffer.isBuffer(ok) && ok.length).toBe(3 * 1024 * 1024);
  });

  it('a truncated manifest names the line and column where the JSON breaks off', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'manifest.json'), '{\n  "schema": "finproc.manifest/1",\n  "command": "inv');
    const r = await run(['send', dir, '--books', booksWith(), '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/manifest\.json:3:(1[5-9]): error \[file-unreadable\] not valid JSON: Unterminated string/);
    expect(r.stderr).not.toMatch(/position/);
  });
});

describe('the send report on a terminal fits COLUMNS (it was 234 characters wide on a 100-column terminal)', () => {
  const subject = 'Facture ISU-2026-090 – Sénégal : contribution au budget 2026 de l’Unité d’appui à l’application de la Convention sur les armes à sous-munitions';
  const report: DispatchReport = {
    mode: 'dry-run',
    rows: [
      { document: 'SEN-ISU-2026-090', iso3: 'SEN', kind: 'invoice', lang: 'fr', to: 'finance.sen@mission.example.org', status: 'would-send', messageId: '', file: '', detail: subject },
      { document: 'AUT-ISU-2026-006', iso3: 'AUT', kind: 'invoice', lang: 'en', to: 'finance.aut@mission.example.org', status: 'refused', messageId: '', file: '', detail: 'no address' },
    ],
  };
  it('the subject wraps within 100 columns, word for word; piped, one line a document', () => {
    const fit = dispatchTable(report, undefined, 100);
    const lines = fit.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(lines.length).toBeGreaterThan(4);
    const detailCol = lines[0]!.indexOf('Detail');
    const detail = lines.slice(2).map((l) => l.slice(detailCol).trim()).filter((t) => t && t !== 'no address').join(' ');
    expect(detail).toBe(subject);
    const whole = dispatchTable(report);
    expect(whole.trimEnd().split('\n')).toHaveLength(4);
    expect(whole).toContain(subject);
  });
});

describe('a refused mission address is located in missions.csv', () => {
  it('two addresses in one cell: missions.csv:LINE:COLUMN of the e-mail cell, the line quoted, exit 1', async () => {
    const books = booksWith({ 'missions.csv': (t) => t.replace('finance.aut@mission.example.org', '"a@b.org, c@d.org"') });
    const docs = path.join(tmp(), 'docs');
    const inv = await run(['invoice', '--books', books, '--year', '2026', '--states', 'AUT,SEN', '--format', 'html', '--out', docs]);
    expect(inv.code).toBe(0);
    // a stand-in PDF listed in the manifest (no Chromium needed: send checks only its SHA-256 and magic)
    const m = JSON.parse(readFileSync(path.join(docs, 'manifest.json'), 'utf8')) as { documents: { document: string; files: { format: string; file: string; sha256: string }[] }[] };
    for (const d of m.documents) {
      const b = Buffer.from('%PDF-1.4 stand-in\n');
      writeFileSync(path.join(docs, `${d.document}.pdf`), b);
      d.files.push({ format: 'pdf', file: `${d.document}.pdf`, sha256: createHash('sha256').update(b).digest('hex') });
    }
    writeFileSync(path.join(docs, 'manifest.json'), JSON.stringify(m));
    const r = await run(['send', docs, '--books', books, '--dry-run']);
    expect(r.code).toBe(1);
    const line = readFileSync(path.join(books, 'missions.csv'), 'utf8').split('\n').findIndex((l) => l.startsWith('AUT,')) + 1;
    const column = readFileSync(path.join(books, 'missions.csv'), 'utf8').split('\n')[line - 1]!.indexOf('"a@b.org') + 1;
    expect(r.stderr).toContain(`missions.csv:${line}:${column}: error [dispatch-refused]`);
    expect(r.stderr).toMatch(/is not one plain e-mail address/);
    expect(r.stdout).toMatch(/SEN-ISU-2026-090 .* would send/);
  });
});
