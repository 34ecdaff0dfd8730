/**
 * Message signatures as "Verifying the signatures of Amazon SNS messages" documents:
 * a canonical string of selected fields, signed with RSA (SignatureVersion 1 =
 * SHA1withRSA, 2 = SHA256withRSA). The key is generated once per data directory and
 * kept with a self-signed X.509 certificate (built here in DER: Node has no API that
 * creates certificates) that receivers fetch from SigningCertURL.
 */
import { generateKeyPairSync, createPrivateKey, createPublicKey, sign, randomBytes, type KeyObject } from 'node:crypto';
import type { SnsStore } from './store.js';

/** The fields a signature covers. */
export interface SignedFields {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/** The path nimbus serves the certificate on (an own route of the gateway). */
export const CERTIFICATE_PATH = '/_nimbus/sns/SimpleNotificationService.pem';

/** The canonical string: Notification signs Message, MessageId, Subject, Timestamp, TopicArn, Type; confirmations sign SubscribeURL and Token instead of Subject. */
export function canonicalString(f: SignedFields): string {
  const keys = f.Type === 'Notification'
    ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;
  let out = '';
  for (const k of keys) {
    const v = f[k];
    if (v !== undefined) out += `${k}\n${v}\n`;
  }
  return out;
}

/** The signer of one nimbus instance: its key and certificate. */
export class Signer {
  private key: KeyObject | undefined;
  private pem: string | undefined;

  constructor(private readonly store: SnsStore) {}

  /** Base64 signature of the canonical string with SHA1 (version 1) or SHA256 (version 2). */
  sign(fields: SignedFields, version: string): string {
    const key = this.privateKey();
    return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(canonicalString(fields), 'utf8'), key).toString('base64');
  }

  /** The PEM certificate holding the public key. */
  certificate(): string {
    this.privateKey();
    return this.pem!;
  }

  /** Forgets the cached key (after a reset the stored one is gone). */
  clear(): void {
    this.key = undefined;
    this.pem = undefined;
  }

  private privateKey(): KeyObject {
    if (this.key) return this.key;
    let stored = this.store.getSigning();
    if (!stored) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.store.putSigning(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, selfSignedCertificate(privateKey, 'sns.amazonaws.com'));
      stored = this.store.getSigning()!;
    }
    this.key = createPrivateKey(stored.privateKey);
    this.pem = stored.certificate ?? selfSignedCertificate(this.key, 'sns.amazonaws.com');
    return this.key;
  }
}

// --- a minimal DER writer for one self-signed certificate (RFC 5280) ---

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...items: Buffer[]) => der(0x30, Buffer.concat(items));

function oid(text: string): Buffer {
  const parts = text.split('.').map(Number);
  const bytes = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** A serial number: random, positive, minimally encoded (first byte 0x40..0x7f). */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x3f) | 0x40;
  return der(0x02, bytes);
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  // UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5).
  return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2), 'ascii')) : der(0x18, Buffer.from(iso, 'ascii'));
}

function name(commonName: string): Buffer {
  return seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));
}

/** A PEM self-signed certificate (sha256WithRSAEncryption, ten years) for a private key. */
export function selfSignedCertificate(key: KeyObject, commonName: string, now = new Date()): string {
  const algorithm = seq(oid('1.2.840.113549.1.1.11'), der(0x05, Buffer.alloc(0)));
  const notAfter = new Date(now.getTime() + 10 * 365 * 86400_000);
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    serialNumber(),
    algorithm,
    name(commonName),
    seq(time(now), time(notAfter)),
    name(commonName),
    spki,
  );
  const signature = sign('sha256', tbs, key);
  const cert = seq(tbs, algorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = cert.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
