/**
 * The issued-credential store: lookups (cached, including misses), and every
 * change (put, status, delete, reset) seen by the next lookup, not a stale cache entry.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from './storage.js';
import { CredentialStore, type IssuedCredential } from './credentials.js';

let storage: Storage;
let store: CredentialStore;

beforeEach(() => {
  storage = new Storage({ ephemeral: true });
  store = new CredentialStore(storage);
});
afterEach(() => storage.close());

const ROLE_PRINCIPAL = {
  account: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/ci',
  userId: 'AROAEXAMPLEEXAMPLE123:ci',
  type: 'assumed-role' as const,
  roleArn: 'arn:aws:iam::123456789012:role/Deployer',
  accessKeyId: 'ASIAEXAMPLE000000001',
};

function temporary(accessKeyId = 'ASIAEXAMPLE000000001'): IssuedCredential {
  return {
    accessKeyId,
    secretAccessKey: 's'.repeat(40),
    sessionToken: 'token-' + accessKeyId,
    expiresAt: 1_900_000_000_000,
    status: 'Active',
    principal: { ...ROLE_PRINCIPAL, accessKeyId },
  };
}

/** The row as stored, bypassing the cache. */
function row(accessKeyId: string): unknown {
  return storage.db.prepare('SELECT * FROM credentials WHERE access_key_id = ?').get(accessKeyId);
}

test('a put credential reads back whole, principal included', () => {
  const cred = temporary();
  store.put(cred);
  assert.deepEqual(store.get(cred.accessKeyId), cred);
});

test('a long-term key has no session token and no expiry', () => {
  const key: IssuedCredential = {
    accessKeyId: 'AKIAEXAMPLE000000001',
    secretAccessKey: 'k'.repeat(40),
    status: 'Active',
    principal: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', userId: 'AIDAEXAMPLE', type: 'user', accessKeyId: 'AKIAEXAMPLE000000001' },
  };
  store.put(key);
  const got = store.get(key.accessKeyId)!;
  assert.equal(got.accessKeyId, key.accessKeyId);
  assert.equal(got.secretAccessKey, key.secretAccessKey);
  assert.equal(got.status, 'Active');
  assert.deepEqual(got.principal, key.principal);
  assert.equal(got.sessionToken, undefined);
  assert.equal(got.expiresAt, undefined);
});

test('lookups are served from the cache, misses included', () => {
  const cred = temporary();
  store.put(cred);
  assert.equal(store.get(cred.accessKeyId)!.status, 'Active');
  assert.equal(store.get('ASIAUNKNOWN000000000'), undefined);
  // Changes made behind the store's back are not seen: the cache answers.
  storage.db.prepare("UPDATE credentials SET status = 'Inactive' WHERE access_key_id = ?").run(cred.accessKeyId);
  storage.db.prepare("INSERT INTO credentials (access_key_id, secret, principal) VALUES ('ASIAUNKNOWN000000000', 'x', '{}')").run();
  assert.equal(store.get(cred.accessKeyId)!.status, 'Active');
  assert.equal(store.get('ASIAUNKNOWN000000000'), undefined);
});

test('put after a cached miss is seen', () => {
  assert.equal(store.get('ASIAEXAMPLE000000001'), undefined);
  store.put(temporary());
  assert.equal(store.get('ASIAEXAMPLE000000001')?.secretAccessKey, 's'.repeat(40));
});

test('setStatus is seen by the next lookup, both ways', () => {
  const cred = temporary();
  store.put(cred);
  assert.equal(store.get(cred.accessKeyId)!.status, 'Active');
  store.setStatus(cred.accessKeyId, 'Inactive');
  assert.equal(store.get(cred.accessKeyId)!.status, 'Inactive');
  assert.deepEqual(row(cred.accessKeyId), {
    access_key_id: cred.accessKeyId, secret: cred.secretAccessKey, session_token: cred.sessionToken, expires_at: cred.expiresAt,
    status: 'Inactive', principal: JSON.stringify(cred.principal),
  });
  store.setStatus(cred.accessKeyId, 'Active');
  assert.equal(store.get(cred.accessKeyId)!.status, 'Active');
});

test('delete is seen by the next lookup', () => {
  const a = temporary('ASIAEXAMPLE00000000A');
  const b = temporary('ASIAEXAMPLE00000000B');
  store.put(a);
  store.put(b);
  assert.ok(store.get(a.accessKeyId));
  store.delete(a.accessKeyId);
  assert.equal(store.get(a.accessKeyId), undefined);
  assert.equal(row(a.accessKeyId), undefined);
  assert.deepEqual(store.get(b.accessKeyId), b);
});

test('reset forgets every credential, cached or not', () => {
  const cred = temporary();
  store.put(cred);
  assert.ok(store.get(cred.accessKeyId));
  storage.reset();
  assert.equal(store.get(cred.accessKeyId), undefined);
  // And the table works after it.
  store.put(cred);
  assert.deepEqual(store.get(cred.accessKeyId), cred);
});

test('an access key id is issued once', () => {
  store.put(temporary());
  assert.throws(() => store.put(temporary()), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
});

test('credentials survive a restart; two stores over one storage share the table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-creds-'));
  try {
    let disk = new Storage({ dataDir: dir });
    new CredentialStore(disk).put(temporary());
    disk.close();
    disk = new Storage({ dataDir: dir });
    try {
      const reopened = new CredentialStore(disk);
      assert.deepEqual(reopened.get('ASIAEXAMPLE000000001'), temporary());
      // A second store on the same storage migrates nothing again and reads the same rows.
      assert.deepEqual(new CredentialStore(disk).get('ASIAEXAMPLE000000001'), temporary());
    } finally {
      disk.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
