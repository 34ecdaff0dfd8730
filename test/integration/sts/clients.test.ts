/**
 * STS through the AWS CLIs and boto3 of both generations on this machine: the
 * caller identity, AssumeRole credentials reported as the assumed role, a wrong
 * secret refused, and a 501 for an unimplemented operation, in each client's words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installedClients, runCli, runBoto3, clientEnv } from '../../helpers/nimbus.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud } = nimbusHarness();

const present = installedClients();

const ROLE = 'arn:aws:iam::210987654321:role/ci/Builder';

for (const client of present) {
  if (client.kind === 'cli') {
    test(`${client.name}: sts get-caller-identity, assume-role, wrong secret, 501`, async () => {
      const me = await runCli(client.bin, cloud.endpoint, ['sts', 'get-caller-identity']);
      assert.equal(me.status, 0, me.stderr);
      assert.deepEqual(JSON.parse(me.stdout), { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });

      const assumed = await runCli(client.bin, cloud.endpoint, ['sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', 'cli-session']);
      assert.equal(assumed.status, 0, assumed.stderr);
      const out = JSON.parse(assumed.stdout);
      assert.equal(out.AssumedRoleUser.Arn, 'arn:aws:sts::210987654321:assumed-role/Builder/cli-session');
      const creds = { accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey, sessionToken: out.Credentials.SessionToken };

      const as = await runCli(client.bin, cloud.endpoint, ['sts', 'get-caller-identity'], clientEnv(creds));
      assert.equal(as.status, 0, as.stderr);
      assert.equal(JSON.parse(as.stdout).Arn, 'arn:aws:sts::210987654321:assumed-role/Builder/cli-session');
      assert.equal(JSON.parse(as.stdout).Account, '210987654321');

      const wrong = await runCli(client.bin, cloud.endpoint, ['sts', 'get-caller-identity'], clientEnv({ ...creds, secretAccessKey: 'x'.repeat(40) }));
      assert.notEqual(wrong.status, 0);
      assert.match(wrong.stderr, /An error occurred \(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided/);

      const unimplemented = await runCli(client.bin, cloud.endpoint, ['sts', 'decode-authorization-message', '--encoded-message', 'abc']);
      assert.notEqual(unimplemented.status, 0);
      assert.match(unimplemented.stderr, /An error occurred \(NotImplemented\) when calling the DecodeAuthorizationMessage operation: The operation DecodeAuthorizationMessage of service sts is not implemented by nimbus yet/);
    });
  } else {
    test(`${client.name}: get_caller_identity, assume_role, wrong secret, 501`, async () => {
      const r = await runBoto3(client.bin, cloud.endpoint, `
sts = boto3.client('sts', endpoint_url=ENDPOINT, region_name='us-east-1')
out = {'me': sts.get_caller_identity()}
a = sts.assume_role(RoleArn=${JSON.stringify(ROLE)}, RoleSessionName='py-session')
c = a['Credentials']
as_role = boto3.client('sts', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
out['assumed'] = as_role.get_caller_identity()
out['expiration_type'] = type(c['Expiration']).__name__
bad = boto3.client('sts', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key='x'*40, aws_session_token=c['SessionToken'])
try:
    bad.get_caller_identity()
except botocore.exceptions.ClientError as e:
    out['wrong'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
try:
    sts.decode_authorization_message(EncodedMessage='abc')
except botocore.exceptions.ClientError as e:
    out['unimplemented'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
for k in ('me', 'assumed'):
    out[k].pop('ResponseMetadata')
print(json.dumps(out))
`);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.me, { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
      assert.equal(out.assumed.Arn, 'arn:aws:sts::210987654321:assumed-role/Builder/py-session');
      assert.equal(out.assumed.Account, '210987654321');
      assert.equal(out.expiration_type, 'datetime');
      assert.equal(out.wrong[0], 'SignatureDoesNotMatch');
      assert.equal(out.wrong[1], 403);
      assert.match(out.wrong[2], /^The request signature we calculated does not match the signature you provided/);
      assert.deepEqual(out.unimplemented, ['NotImplemented', 501, 'The operation DecodeAuthorizationMessage of service sts is not implemented by nimbus yet']);
    });
  }
}
