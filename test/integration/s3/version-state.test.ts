/**
 * A version's ACL and Object Lock rows go with the version: DeleteObject with a VersionId,
 * DeleteObjects, an unversioned delete, an overwrite of the null version, a delete marker
 * replacing the null version, the lifecycle sweeper, AbortMultipartUpload and DeleteBucket
 * leave none behind. What is left is read from the data directory's database, the only
 * place a leftover shows (the rows are keyed by versions that no longer exist).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, PutBucketVersioningCommand,
  PutObjectLegalHoldCommand, PutBucketLifecycleConfigurationCommand, CreateMultipartUploadCommand, AbortMultipartUploadCommand,
  DeleteBucketCommand, GetObjectAclCommand, HeadBucketCommand, type ObjectOwnership,
} from '@aws-sdk/client-s3';
import { startNimbus, type Nimbus } from '../../../src/nimbus.js';
import { clientConfig } from '../../helpers/nimbus.js';

const DAY = 86_400_000;
/** A canonical user (not the owner) granted READ: a non-public grant that public access blocks allow. */
const READER = 'a'.repeat(64);
const GRANT = `id="${READER}"`;

let dir: string;
let cloud: Nimbus;
let s3: S3Client;
const start = async () => {
  cloud = await startNimbus({ ephemeral: false, dataDir: dir, port: 0, logLevel: 'off' });
  s3 = new S3Client({ ...clientConfig(cloud.endpoint), forcePathStyle: true });
};
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nimbus-s3-version-state-'));
  await start();
});
after(async () => {
  s3.destroy();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Reads the database with nimbus stopped (it holds the file in EXCLUSIVE locking mode),
 * then starts it again on the same directory: what a version left behind survived too.
 */
async function inspect<T>(read: (db: Database.Database) => T): Promise<T> {
  s3.destroy();
  await cloud.stop();
  const db = new Database(join(dir, 'nimbus.db'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
    await start();
  }
}

const count = (db: Database.Database, sql: string, arg: string) => (db.prepare(sql).get(arg) as { n: number }).n;
const objectAcls = (bucket: string) => inspect((db) => count(db, 'SELECT count(*) AS n FROM s3_object_acls WHERE bucket = ?', bucket));
/** [ACL rows, lock rows] of a bucket's versions. */
const versionRows = (bucket: string) => inspect((db) => [
  count(db, 'SELECT count(*) AS n FROM s3_object_locks WHERE bucket = ?', bucket),
  count(db, 'SELECT count(*) AS n FROM s3_object_acls WHERE bucket = ?', bucket),
]);
/** [ACL rows, lock rows] of uploads. */
const uploadRows = (...uploadIds: string[]) => inspect((db) => uploadIds.flatMap((id) => [
  count(db, 'SELECT count(*) AS n FROM s3_upload_acls WHERE upload_id = ?', id),
  count(db, 'SELECT count(*) AS n FROM s3_upload_locks WHERE upload_id = ?', id),
]));

async function bucket(Bucket: string, options: { versioning?: 'Enabled' | 'Suspended'; lock?: boolean; ownership?: ObjectOwnership } = {}): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: options.ownership ?? 'BucketOwnerPreferred', ObjectLockEnabledForBucket: options.lock }));
  if (options.versioning) await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: options.versioning } }));
}

const put = async (Bucket: string, Key: string, extra: Record<string, unknown> = {}) =>
  (await s3.send(new PutObjectCommand({ Bucket, Key, Body: `${Key} body`, GrantRead: GRANT, ...extra }))).VersionId;

/** Runs the lifecycle sweeper over one bucket as of `at`. */
async function sweep(bucket: string, at: number): Promise<Record<string, number>> {
  const r = await fetch(`${cloud.endpoint}/_nimbus/s3/lifecycle/sweep?at=${new Date(at).toISOString()}&bucket=${bucket}`);
  assert.equal(r.status, 200);
  return await r.json() as Record<string, number>;
}

test('DeleteObject with a VersionId and DeleteObjects take the versions\' ACL rows with them', async () => {
  const B = 'vs-versioned';
  await bucket(B, { versioning: 'Enabled' });
  const v1 = await put(B, 'k');
  const v2 = await put(B, 'k');
  const v3 = await put(B, 'other');
  assert.equal(await objectAcls(B), 3);
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId: v1 }));
  assert.equal(await objectAcls(B), 2);
  // The remaining version still answers its grants.
  const acl = await s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'k', VersionId: v2 }));
  assert.deepEqual(acl.Grants!.map((g) => [g.Grantee!.ID, g.Permission]), [[READER, 'READ']]);
  const out = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'k', VersionId: v2 }, { Key: 'other', VersionId: v3 }] } }));
  assert.deepEqual(out.Deleted!.map((d) => [d.Key, d.VersionId]).sort(), [['k', v2], ['other', v3]]);
  assert.equal(await objectAcls(B), 0);
});

test('overwriting the null version, deleting an unversioned object, and a null delete marker drop the replaced version\'s ACL', async () => {
  const plain = 'vs-unversioned';
  await bucket(plain);
  await put(plain, 'k');
  await put(plain, 'k');
  assert.equal(await objectAcls(plain), 1);
  await s3.send(new DeleteObjectCommand({ Bucket: plain, Key: 'k' }));
  assert.equal(await objectAcls(plain), 0);

  const suspended = 'vs-suspended';
  await bucket(suspended, { versioning: 'Suspended' });
  await put(suspended, 'k');
  assert.equal(await objectAcls(suspended), 1);
  // In a suspended bucket the delete marker is the null version: it replaces the object.
  const del = await s3.send(new DeleteObjectCommand({ Bucket: suspended, Key: 'k' }));
  assert.deepEqual([del.DeleteMarker, del.VersionId], [true, 'null']);
  assert.equal(await objectAcls(suspended), 0);
  // A versioned bucket keeps the overwritten version (and its grants) as noncurrent.
  const enabled = 'vs-enabled-overwrite';
  await bucket(enabled, { versioning: 'Enabled' });
  await put(enabled, 'k');
  await put(enabled, 'k');
  assert.equal(await objectAcls(enabled), 2);
});

test('a version\'s lock state goes with it; a protected version keeps its own', async () => {
  const B = 'vs-locked';
  await bucket(B, { lock: true });
  const v1 = await put(B, 'k', { ObjectLockLegalHoldStatus: 'OFF' });
  const v2 = await put(B, 'k', { ObjectLockLegalHoldStatus: 'ON' });
  const v3 = await put(B, 'k', { ObjectLockLegalHoldStatus: 'OFF' });
  assert.deepEqual(await versionRows(B), [3, 3]);
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId: v1 }));
  const out = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'k', VersionId: v2 }, { Key: 'k', VersionId: v3 }] } }));
  assert.deepEqual(out.Errors!.map((e) => [e.VersionId, e.Code]), [[v2, 'AccessDenied']]);
  assert.deepEqual(await versionRows(B), [1, 1]);
  await s3.send(new PutObjectLegalHoldCommand({ Bucket: B, Key: 'k', VersionId: v2, LegalHold: { Status: 'OFF' } }));
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId: v2 }));
  assert.deepEqual(await versionRows(B), [0, 0]);
});

test('the lifecycle sweeper drops the ACL and lock rows of what it expires and aborts', async () => {
  const B = 'vs-lifecycle';
  await bucket(B, { lock: true });
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: B, LifecycleConfiguration: { Rules: [
    { ID: 'all', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
  ] } }));
  const now = Date.now();
  await put(B, 'k', { ObjectLockLegalHoldStatus: 'OFF' });
  await put(B, 'k', { ObjectLockLegalHoldStatus: 'OFF' });
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'big', GrantRead: GRANT, ObjectLockLegalHoldStatus: 'OFF' }));
  assert.deepEqual([...await versionRows(B), ...await uploadRows(UploadId!)], [2, 2, 1, 1]);
  const report = await sweep(B, Math.floor(now / DAY) * DAY + 2 * DAY);
  assert.deepEqual([report.noncurrentDeleted, report.uploadsAborted], [1, 1]);
  assert.deepEqual([...await versionRows(B), ...await uploadRows(UploadId!)], [1, 1, 0, 0]);

  const plain = 'vs-lifecycle-plain';
  await bucket(plain);
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: plain, LifecycleConfiguration: { Rules: [{ ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }] } }));
  await put(plain, 'k');
  assert.equal((await sweep(plain, Math.floor(Date.now() / DAY) * DAY + 2 * DAY)).expired, 1);
  assert.equal(await objectAcls(plain), 0);
});

test('AbortMultipartUpload and DeleteBucket drop the rows of unfinished uploads', async () => {
  const B = 'vs-uploads';
  await bucket(B, { lock: true });
  const aborted = (await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'a', GrantRead: GRANT, ObjectLockLegalHoldStatus: 'OFF' }))).UploadId!;
  const left = (await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'b', GrantRead: GRANT, ObjectLockLegalHoldStatus: 'OFF' }))).UploadId!;
  assert.deepEqual(await uploadRows(aborted, left), [1, 1, 1, 1]);
  await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'a', UploadId: aborted }));
  assert.deepEqual(await uploadRows(aborted), [0, 0]);
  // A bucket with only unfinished uploads can be deleted; their rows go with it.
  await s3.send(new DeleteBucketCommand({ Bucket: B }));
  assert.deepEqual(await uploadRows(left), [0, 0]);
  const gone = await s3.send(new HeadBucketCommand({ Bucket: B })).then(() => 200, (e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode);
  assert.equal(gone, 404);
});
