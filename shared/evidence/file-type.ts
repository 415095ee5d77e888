/**
 * Which files an operator may attach as evidence, decided from the bytes, not from the name or
 * the type the browser declares: a renamed executable or an HTML page called "invoice.pdf" is
 * refused. Pure (no Node, no DOM), so the desktop checks at attach time and the server checks
 * again on upload with the very same rules.
 */

/** One attachment's ceiling; the SOP field's own `maxBytes` may be lower. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

export const EVIDENCE_TYPES = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/csv': 'csv',
  'text/plain': 'txt',
  'message/rfc822': 'eml',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TYPES;
export const EVIDENCE_TYPE_LIST = Object.keys(EVIDENCE_TYPES) as [EvidenceType, ...EvidenceType[]];

export function isEvidenceType(value: string): value is EvidenceType {
  return Object.prototype.hasOwnProperty.call(EVIDENCE_TYPES, value);
}

/** What operating systems and browsers declare for these files besides the canonical type. */
const DECLARED_ALIASES: Readonly<Record<string, EvidenceType>> = {
  'application/x-pdf': 'application/pdf',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/csv': 'text/csv',
  'text/comma-separated-values': 'text/csv',
  // Windows declares .csv files as Excel's.
  'application/vnd.ms-excel': 'text/csv',
};
/** Declared when the sender does not know: the bytes decide alone. */
const UNKNOWN_DECLARED = new Set(['', 'application/octet-stream']);

const ascii = (bytes: Uint8Array, from: number, text: string): boolean => {
  if (bytes.length < from + text.length) return false;
  for (let i = 0; i < text.length; i += 1) if (bytes[from + i] !== text.charCodeAt(i)) return false;
  return true;
};

function indexOfAscii(bytes: Uint8Array, text: string, limit = bytes.length): number {
  const first = text.charCodeAt(0);
  const end = Math.min(limit, bytes.length) - text.length;
  for (let i = 0; i <= end; i += 1) if (bytes[i] === first && ascii(bytes, i, text)) return i;
  return -1;
}

/**
 * An Office Open XML workbook is a ZIP whose entry names (stored uncompressed in the archive)
 * include the workbook part. A macro-enabled one (vbaProject.bin) is refused: it runs code.
 */
function isXlsx(bytes: Uint8Array): boolean {
  if (!ascii(bytes, 0, 'PK\u0003\u0004')) return false;
  return (
    indexOfAscii(bytes, '[Content_Types].xml') >= 0 &&
    indexOfAscii(bytes, 'xl/workbook.xml') >= 0 &&
    indexOfAscii(bytes, 'vbaProject.bin') < 0
  );
}

/** Strict UTF-8 with no control characters other than tab, line breaks and form feed. */
function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text)) return false;
  // Markup renders as a page wherever it is opened by mistake: not evidence, and not "text".
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 64)
    .toLowerCase();
  return !/^<(!doctype|html|head|body|script|svg|\?xml|iframe)/.test(head);
}

/** RFC 5322 starts with header fields ("Name: value"). */
const looksLikeEmail = (bytes: Uint8Array): boolean =>
  /^[A-Za-z][A-Za-z0-9-]*:[ \t]/.test(
    new TextDecoder().decode(bytes.subarray(0, 200)).replace(/^\uFEFF/, ''),
  );

export type SniffResult = { ok: true; type: EvidenceType } | { ok: false; reason: string };

/**
 * The verified type of `bytes`, given what the sender declared (a MIME type) and the file name
 * (for text, the extension tells CSV from plain text when nothing else does).
 */
export function verifyEvidenceType(bytes: Uint8Array, declared: string, name = ''): SniffResult {
  const declaredLower = declared.trim().toLowerCase().split(';')[0]?.trim() ?? '';
  const claimed: EvidenceType | null = isEvidenceType(declaredLower)
    ? declaredLower
    : (DECLARED_ALIASES[declaredLower] ?? null);
  if (claimed === null && !UNKNOWN_DECLARED.has(declaredLower)) {
    return { ok: false, reason: 'this kind of file is not accepted as evidence' };
  }
  let detected: EvidenceType | null = null;
  if (ascii(bytes, 0, '%PDF-')) detected = 'application/pdf';
  else if (ascii(bytes, 0, '\u0089PNG\r\n\u001a\n')) detected = 'image/png';
  else if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) detected = 'image/jpeg';
  else if (isXlsx(bytes)) detected = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  else if (isPlainText(bytes)) {
    if (claimed === 'message/rfc822' && looksLikeEmail(bytes)) detected = 'message/rfc822';
    else if (claimed === 'text/csv' || (claimed === null && /\.csv$/i.test(name))) detected = 'text/csv';
    else detected = 'text/plain';
  }
  if (detected === null) {
    return { ok: false, reason: 'the content is not a PDF, PNG, JPEG, CSV, text, e-mail or XLSX file' };
  }
  // Text declared as CSV or e-mail stays what it is; anything else must be what it claims.
  const textual = (t: EvidenceType): boolean => t.startsWith('text/') || t === 'message/rfc822';
  if (claimed !== null && claimed !== detected && !(textual(claimed) && textual(detected))) {
    return { ok: false, reason: `the content is not a ${EVIDENCE_TYPES[claimed].toUpperCase()} file` };
  }
  return { ok: true, type: detected };
}

/**
 * A display name that is safe to show and to offer as a download name: the last path segment
 * only (no "../", no drive or folder), no control or reserved characters, at most 120
 * characters, and ending in the extension of the verified type (so "invoice.pdf.exe" holding a
 * PDF downloads as "invoice.pdf.exe.pdf" and opens as a PDF).
 */
export function safeEvidenceName(raw: string, type: EvidenceType): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  let name = last
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001F\u007F<>:"|?*\uD800-\uDFFF]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  const ext = EVIDENCE_TYPES[type];
  if (name === '') name = 'evidence';
  const accepted = ext === 'jpg' ? ['jpg', 'jpeg'] : [ext];
  const current = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return current !== undefined && accepted.includes(current) ? name : `${name}.${ext}`;
}

/** A SHA-256 as lower-case hex: the id of an attachment everywhere. */
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
