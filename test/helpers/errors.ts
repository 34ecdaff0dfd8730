/** What tests assert about a failed call. */
import assert from 'node:assert/strict';

/**
 * An exception an SDK v3 client throws: the error's name and message, the fields the
 * service sent with it (`BucketName`, `Type`, query `Code`...) and the response metadata.
 */
export type SdkError = Error & {
  $metadata: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $fault?: 'client' | 'server';
  /** The raw HTTP response (headers in lower case). */
  $response?: { statusCode: number; headers: Record<string, string> };
  Code?: string;
  Type?: string;
} & Record<string, unknown>;

/**
 * The exception a call fails with (fails the test when it succeeds). With a type guard,
 * the exception must pass it (an in-process ServiceError rather than an SDK exception).
 */
export async function fails(p: Promise<unknown>): Promise<SdkError>;
export async function fails<E>(p: Promise<unknown>, is: (e: unknown) => e is E): Promise<E>;
export async function fails(p: Promise<unknown>, is?: (e: unknown) => boolean): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    if (is) assert.ok(is(e), `expected another kind of error, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

/** The error a call fails with: SDK name, query code (x-amzn-query-error's, when sent), message, HTTP status. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; code: string | undefined; message: string; status: number | undefined }> {
  const e = await fails(p);
  return { name: e.name, code: e.Code, message: e.message, status: e.$metadata?.httpStatusCode };
}

/** Asserts that a call fails with this SDK error name, message and HTTP status. */
export async function rejects(p: Promise<unknown>, name: string, message: string, status = 400): Promise<void> {
  const e = await fails(p);
  assert.deepEqual([e.name, e.message, e.$metadata?.httpStatusCode], [name, message, status]);
}
