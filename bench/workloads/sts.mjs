// STS GetCallerIdentity over the query protocol: the smallest real AWS call, so it
// measures the fixed cost of nimbus's request path (routing, SigV4 scope, query
// parsing, XML serialization) against the bare node:http floor.
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { signRequest } from '../lib/sigv4.mjs';
import { floorTarget, nimbusTarget } from '../lib/targets.mjs';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

/** The STS workload: the floor as baseline, nimbus compared to it. */
export const stsWorkload = {
  name: 'sts',
  title: 'STS GetCallerIdentity (query protocol)',
  baseline: 'floor',
  targets: [floorTarget('sts'), nimbusTarget()],

  /** The raw requests to replay against `server` ({host, port}), signed as the SDK signs them. */
  requests(server) {
    const request = {
      method: 'POST',
      path: '/',
      headers: {
        host: `${server.host}:${server.port}`,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'content-length': String(Buffer.byteLength(BODY)),
        'user-agent': 'nimbus-bench',
      },
      body: BODY,
    };
    return [signRequest(request, { ...CREDENTIALS, region: REGION, service: 'sts' })];
  },

  /** Why a response is not a successful GetCallerIdentity, or undefined when it is. */
  check(response) {
    const body = response.body.toString('utf8');
    if (response.status !== 200) return `status ${response.status}: ${body.slice(0, 300)}`;
    if (!/<GetCallerIdentityResult>[\s\S]*<Arn>arn:aws:[^<]+<\/Arn>/.test(body)) return `unexpected body: ${body.slice(0, 300)}`;
    return undefined;
  },

  /** One real SDK v3 client for `endpoint`; `call` performs the operation once. */
  sdk(endpoint) {
    const client = new STSClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
    // A new command per call, as applications do: a command's middleware stack is per send.
    return { call: () => client.send(new GetCallerIdentityCommand({})), close: () => client.destroy() };
  },
};
