/** What tests assert about a failed SDK call. */

/** The error a call fails with: SDK name, query code (x-amzn-query-error's, when sent), message, HTTP status. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; code: string | undefined; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, code: err.Code, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected a failure');
}
