/** The Smithy RPC v2 CBOR codec. */
export { cborCodec, parseCborBody } from './codec.js';
export { decodeCbor, CborError } from './decode.js';
