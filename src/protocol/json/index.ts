/** The awsJson 1.0 / 1.1 codec and the pieces the rpcv2Cbor codec shares with it. */
export { jsonCodec, unknownOperationError, parseJsonBody } from './codec.js';
export { readInput, wireName } from './shape-reader.js';
export type { Dialect } from './shape-reader.js';
export { errorFacts, errorNamespace, errorShape } from './error-facts.js';
export type { ErrorFacts } from './error-facts.js';
