/**
 * JSON text already in wire form (a DynamoDB item stored as its wire JSON). A
 * provider returns it where the output holds that value; the awsJson writer splices
 * the text into the response verbatim instead of parsing and serializing it again
 * (Node 20 has no JSON.rawJSON), and anything else meeting it gets the parsed value.
 */
export class RawJson {
  constructor(readonly text: string) {}

  /** The parsed value, for a serializer that meets it outside the awsJson writer. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
