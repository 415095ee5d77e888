import { describe, expect, it } from 'vitest';
import { safeEvidenceName, verifyEvidenceType } from '@shared/evidence/file-type';
import { FILES } from '../support/evidence-files';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The entry names a workbook's ZIP carries uncompressed, which is all the check reads. */
const zip = (...entries: string[]): Buffer =>
  Buffer.concat([Buffer.from('PK\u0003\u0004'), ...entries.map((e) => Buffer.from(`\u0000${e}\u0000`))]);

describe('evidence file types, by content', () => {
  it('accepts the allowed kinds whatever the browser declared', () => {
    expect(verifyEvidenceType(FILES.pdf, 'application/pdf')).toEqual({ ok: true, type: 'application/pdf' });
    expect(verifyEvidenceType(FILES.png, '')).toEqual({ ok: true, type: 'image/png' });
    // Windows declares CSV as Excel's; the bytes are text, the name says CSV.
    expect(verifyEvidenceType(FILES.csv, 'application/vnd.ms-excel', 'a.csv')).toEqual({
      ok: true,
      type: 'text/csv',
    });
    expect(verifyEvidenceType(FILES.csv, '', 'a.csv')).toEqual({ ok: true, type: 'text/csv' });
    expect(verifyEvidenceType(Buffer.from('From: a@b.c\nSubject: x\n\nhi'), 'message/rfc822')).toEqual({
      ok: true,
      type: 'message/rfc822',
    });
    expect(verifyEvidenceType(zip('[Content_Types].xml', 'xl/workbook.xml'), XLSX_TYPE)).toEqual({
      ok: true,
      type: XLSX_TYPE,
    });
  });

  it('refuses programs, markup and macro workbooks, and content that is not what it claims', () => {
    expect(verifyEvidenceType(FILES.elf, 'application/pdf').ok).toBe(false);
    expect(verifyEvidenceType(FILES.exe, 'application/octet-stream').ok).toBe(false);
    expect(verifyEvidenceType(FILES.html, 'text/plain').ok).toBe(false);
    expect(verifyEvidenceType(FILES.html, 'text/html').ok).toBe(false);
    expect(verifyEvidenceType(FILES.png, 'application/pdf')).toEqual({
      ok: false,
      reason: 'the content is not a PDF file',
    });
    expect(
      verifyEvidenceType(zip('[Content_Types].xml', 'xl/workbook.xml', 'xl/vbaProject.bin'), XLSX_TYPE).ok,
    ).toBe(false);
    expect(verifyEvidenceType(Buffer.from('a\u0000b'), 'text/plain').ok).toBe(false);
  });

  it('keeps the last segment of a name, without control characters, ending in the verified extension', () => {
    expect(safeEvidenceName('../../etc/passwd', 'text/plain')).toBe('passwd.txt');
    expect(safeEvidenceName('C:\\Users\\me\\deal.PDF', 'application/pdf')).toBe('deal.PDF');
    expect(safeEvidenceName('invoice.pdf.exe', 'application/pdf')).toBe('invoice.pdf.exe.pdf');
    expect(safeEvidenceName('..', 'image/png')).toBe('evidence.png');
    expect(safeEvidenceName('a\u0000b\r\n.jpeg', 'image/jpeg')).toBe('a_b__.jpeg');
  });
});
