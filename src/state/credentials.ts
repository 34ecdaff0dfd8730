/**
 * Credentials nimbus has issued (STS temporary credentials, IAM access keys), so the
 * gateway can verify signatures made with them and attribute requests to their principal.
 */
import type { Storage } from './storage.js';
import type { Principal } from '../shared/principal.js';

/** An issued credential. */
export interface IssuedCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Epoch milliseconds; absent for long-term keys. */
  readonly expiresAt?: number;
  /** 'Active' or 'Inactive' (IAM access keys can be deactivated). */
  readonly status: 'Active' | 'Inactive';
  readonly principal: Principal;
}

interface Row {
  access_key_id: string;
  secret: string;
  session_token: string | null;
  expires_at: number | null;
  status: string;
  principal: string;
}

/** The table of issued credentials with an in-memory cache in front (lookups happen on every signed request). */
export class CredentialStore {
  private readonly cache = new Map<string, IssuedCredential | null>();
  private readonly selectStmt;
  private readonly insertStmt;
  private readonly deleteStmt;
  private readonly statusStmt;

  constructor(storage: Storage) {
    storage.migrate('credentials', [
      `CREATE TABLE credentials (
        access_key_id TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        session_token TEXT,
        expires_at INTEGER,
        status TEXT NOT NULL DEFAULT 'Active',
        principal TEXT NOT NULL
      )`,
    ]);
    const db = storage.db;
    this.selectStmt = db.prepare('SELECT * FROM credentials WHERE access_key_id = ?');
    this.insertStmt = db.prepare('INSERT INTO credentials (access_key_id, secret, session_token, expires_at, status, principal) VALUES (?, ?, ?, ?, ?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM credentials WHERE access_key_id = ?');
    this.statusStmt = db.prepare('UPDATE credentials SET status = ? WHERE access_key_id = ?');
    storage.onReset(() => this.cache.clear());
  }

  /** The credential issued under this access key id, or undefined. */
  get(accessKeyId: string): IssuedCredential | undefined {
    const cached = this.cache.get(accessKeyId);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.selectStmt.get(accessKeyId) as Row | undefined;
    const cred = row ? fromRow(row) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(accessKeyId, cred);
    return cred ?? undefined;
  }

  /** Records a newly issued credential. */
  put(cred: IssuedCredential): void {
    this.insertStmt.run(cred.accessKeyId, cred.secretAccessKey, cred.sessionToken ?? null, cred.expiresAt ?? null, cred.status, JSON.stringify(cred.principal));
    this.cache.delete(cred.accessKeyId);
  }

  /** Activates or deactivates a long-term key. */
  setStatus(accessKeyId: string, status: 'Active' | 'Inactive'): void {
    this.statusStmt.run(status, accessKeyId);
    this.cache.delete(accessKeyId);
  }

  /** Forgets a credential (a deleted access key). */
  delete(accessKeyId: string): void {
    this.deleteStmt.run(accessKeyId);
    this.cache.delete(accessKeyId);
  }
}

function fromRow(row: Row): IssuedCredential {
  return {
    accessKeyId: row.access_key_id,
    secretAccessKey: row.secret,
    sessionToken: row.session_token ?? undefined,
    expiresAt: row.expires_at ?? undefined,
    status: row.status === 'Inactive' ? 'Inactive' : 'Active',
    principal: JSON.parse(row.principal) as Principal,
  };
}
