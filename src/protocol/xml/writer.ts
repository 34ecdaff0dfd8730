/**
 * Small helpers for writing XML bodies by string concatenation: escaping that
 * survives every XML parser AWS clients use (expat in botocore, fast-xml-parser
 * in SDK v3), and the text forms of scalar values AWS's XML protocols send.
 */

/** The XML declaration AWS puts before EC2 and SQS bodies. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// '\r' must travel as a character reference: XML parsers turn a raw CR (and CRLF) into LF.
// Other C0 controls are not allowed raw in XML 1.0; a character reference keeps lenient parsers whole.
const TEXT_SPECIAL = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const TEXT_SPECIAL_G = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const ATTR_SPECIAL = /[&<>"\r\n\t\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const ATTR_SPECIAL_G = /[&<>"\r\n\t\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function replacement(ch: string): string {
  switch (ch) {
    case '&': return '&amp;';
    case '<': return '&lt;';
    case '>': return '&gt;';
    case '"': return '&quot;';
    default: return `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`;
  }
}

/** Escapes text content; returns the same string when nothing needs escaping (the common case). */
export function escapeXml(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIAL_G, replacement) : text;
}

/** Escapes an attribute value (tabs and newlines too, which attribute normalization would turn into spaces). */
export function escapeXmlAttribute(text: string): string {
  return ATTR_SPECIAL.test(text) ? text.replace(ATTR_SPECIAL_G, replacement) : text;
}

/** A timestamp value (Date, epoch seconds, or a date string) as a Date, or undefined when it is none of these. */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** A timestamp in the given format; ISO 8601 with milliseconds (`2011-07-15T23:28:33.359Z`) by default. */
export function formatTimestamp(value: unknown, format?: 'iso8601' | 'rfc822' | 'unixTimestamp'): string {
  const d = toDate(value);
  if (!d) return String(value);
  if (format === 'unixTimestamp') return String(d.getTime() / 1000);
  if (format === 'rfc822') return d.toUTCString();
  return d.toISOString();
}

/** A blob as base64 (a string blob is its UTF-8 bytes). */
export function formatBlob(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return Buffer.from(String(value), 'utf8').toString('base64');
}

/** A float or double: AWS's spellings of the non-finite values. */
export function formatFloat(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}
