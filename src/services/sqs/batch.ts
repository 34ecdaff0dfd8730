/** Checks shared by SQS's batch operations, and their per-entry failures. */
import { ServiceError, isServiceError } from '../../shared/errors.js';
import type { BatchResultErrorEntry } from '../../models/generated/sqs.js';

/** At most 10 entries per batch (SQS quotas). */
const MAX_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Throws the error SQS answers for an empty, oversized or ill-identified batch. */
export function checkBatch(entries: readonly { Id: string }[], entryName: string): void {
  if (entries.length === 0) {
    throw new ServiceError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`, { status: 400 });
  }
  if (entries.length > MAX_ENTRIES) {
    throw new ServiceError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_ENTRIES}. You have sent ${entries.length}.`, { status: 400 });
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (!ENTRY_ID.test(e.Id ?? '')) {
      throw new ServiceError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.', { status: 400 });
    }
    if (seen.has(e.Id)) throw new ServiceError('BatchEntryIdsNotDistinct', `Id ${e.Id} repeated.`, { status: 400 });
    seen.add(e.Id);
  }
}

/** The Failed entry for an entry that threw; anything but a ServiceError is a bug and rethrown. */
export function failure(id: string, err: unknown): BatchResultErrorEntry {
  if (!isServiceError(err)) throw err;
  return { Id: id, SenderFault: err.senderFault, Code: err.code, Message: err.message };
}
