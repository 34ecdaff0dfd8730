/**
 * The ec2Query codec against @aws-sdk/client-ec2, and on raw requests: `Name.N`
 * lists, queryName members, `<item>` lists, `<requestId>` first, and
 * `<Response><Errors>` error bodies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, DescribeInstancesCommand, RunInstancesCommand, DescribeVpcsCommand, DeleteVpcCommand } from '@aws-sdk/client-ec2';
import { loadModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { ec2Codec } from './index.js';
import { exchange, plain, sdkConfig, wireRequest, type Exchange, type Serve } from '../query/oracle.test-helper.js';

const ec2 = loadModel('ec2');
const ID = 'c6104cbe-af31-11e0-8154-cbc7ccf896c7';

function setup() {
  const seen: Exchange = {};
  let answer: Serve = () => ({});
  const client = new EC2Client(sdkConfig(ec2Codec, ec2, (op, input) => answer(op, input), seen));
  return { client, seen, answer: (fn: Serve) => (answer = fn) };
}

const instance = {
  InstanceId: 'i-0123456789abcdef0', ImageId: 'ami-12345678', State: { Code: 16, Name: 'running' as const },
  PrivateDnsName: 'ip-10-0-0-12.ec2.internal', InstanceType: 't3.micro' as const, LaunchTime: new Date('2024-01-02T03:04:05.000Z'),
  Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' as const }, Monitoring: { State: 'disabled' as const },
  SubnetId: 'subnet-1', VpcId: 'vpc-1', PrivateIpAddress: '10.0.0.12', EbsOptimized: false,
  SecurityGroups: [{ GroupName: 'default', GroupId: 'sg-1' }],
  Tags: [{ Key: 'Name', Value: 'web & <api>' }],
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { AttachTime: new Date('2024-01-02T03:04:06.123Z'), DeleteOnTermination: true, Status: 'attached' as const, VolumeId: 'vol-1' } }],
};

test('DescribeInstances: Filter.N.Name / Filter.N.Value.M and InstanceId.N in; reservationSet/instancesSet items out', async () => {
  const { client, seen, answer } = setup();
  const input = {
    Filters: [{ Name: 'instance-state-name', Values: ['running', 'pending'] }, { Name: 'tag:Name', Values: ['web'] }],
    InstanceIds: ['i-0123456789abcdef0', 'i-1'],
    MaxResults: 10,
    DryRun: false,
  };
  const output = {
    Reservations: [{ ReservationId: 'r-1', OwnerId: '000000000000', Groups: [], Instances: [instance] }],
    NextToken: 'next',
  };
  answer((op, got) => {
    assert.equal(op.name, 'DescribeInstances');
    assert.deepEqual(got, input);
    return output;
  });
  const result = await client.send(new DescribeInstancesCommand(input));
  assert.deepEqual(plain(result), output);
  const sent = String(seen.wire!.body);
  assert.match(sent, /Filter\.1\.Name=instance-state-name&Filter\.1\.Value\.1=running&Filter\.1\.Value\.2=pending/);
  assert.match(sent, /InstanceId\.2=i-1/);
  const xml = String(seen.response!.body);
  assert.ok(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${ID}</requestId>`
    + '<nextToken>next</nextToken><reservationSet><item><reservationId>r-1</reservationId><ownerId>000000000000</ownerId><groupSet/><instancesSet><item>'));
  assert.ok(xml.includes('<instanceId>i-0123456789abcdef0</instanceId><imageId>ami-12345678</imageId><instanceState><code>16</code><name>running</name></instanceState>'));
  assert.ok(xml.includes('<launchTime>2024-01-02T03:04:05.000Z</launchTime>'));
  assert.ok(xml.endsWith('</reservationSet></DescribeInstancesResponse>'));
  assert.equal(seen.response!.headers['content-type'], 'text/xml;charset=UTF-8');
});

test('RunInstances: nested lists, queryName members, base64 user data; Reservation out', async () => {
  const { client, answer } = setup();
  const input = {
    ImageId: 'ami-12345678', InstanceType: 't3.micro' as const, MinCount: 1, MaxCount: 2, KeyName: 'k',
    SecurityGroupIds: ['sg-1', 'sg-2'], UserData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
    TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'Name', Value: 'web' }, { Key: 'env', Value: 'dev' }] }],
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3' as const, DeleteOnTermination: true } }],
    NetworkInterfaces: [{
      DeviceIndex: 0, SubnetId: 'subnet-1', Groups: ['sg-1'], AssociatePublicIpAddress: true,
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.0.0.5' }], Ipv6Addresses: [{ Ipv6Address: '2600::1' }],
    }],
    Monitoring: { Enabled: true }, IamInstanceProfile: { Name: 'profile' }, MetadataOptions: { HttpTokens: 'required' as const },
    ClientToken: 'token-1',
  };
  const output = { ReservationId: 'r-2', OwnerId: '000000000000', Groups: [{ GroupName: 'default', GroupId: 'sg-1' }], Instances: [instance, { ...instance, InstanceId: 'i-2' }] };
  answer((_op, got) => {
    assert.deepEqual(got, input);
    return output;
  });
  assert.deepEqual(plain(await client.send(new RunInstancesCommand(input))), output);
});

test('DescribeVpcs output; DeleteVpc answers <return>true</return>', async () => {
  const { client, seen, answer } = setup();
  const output = {
    Vpcs: [{
      CidrBlock: '10.0.0.0/16', DhcpOptionsId: 'dopt-1', State: 'available' as const, VpcId: 'vpc-1', OwnerId: '000000000000',
      InstanceTenancy: 'default' as const, IsDefault: true,
      CidrBlockAssociationSet: [{ AssociationId: 'vpc-cidr-assoc-1', CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' as const } }],
      Ipv6CidrBlockAssociationSet: [], Tags: [{ Key: 'Name', Value: 'main' }],
    }],
  };
  answer((_op, got) => {
    assert.deepEqual(got, { VpcIds: ['vpc-1'] });
    return output;
  });
  assert.deepEqual(plain(await client.send(new DescribeVpcsCommand({ VpcIds: ['vpc-1'] }))), output);

  answer((_op, got) => {
    assert.deepEqual(got, { VpcId: 'vpc-1' });
    return {};
  });
  assert.deepEqual(plain(await client.send(new DeleteVpcCommand({ VpcId: 'vpc-1' }))), {});
  assert.equal(String(seen.response!.body), `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${ID}</requestId><return>true</return></DeleteVpcResponse>`);
});

test('errors: <Response><Errors><Error>, the code as the SDK error name, status from the error', async () => {
  const { client, seen, answer } = setup();
  answer(() => { throw new ServiceError('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist"); });
  const err = await client.send(new DescribeInstancesCommand({ InstanceIds: ['i-1'] })).catch((e: unknown) => e) as { name: string; message: string; $metadata: { httpStatusCode: number; requestId?: string } };
  assert.equal(err.name, 'InvalidInstanceID.NotFound');
  assert.equal(err.message, "The instance ID 'i-1' does not exist");
  assert.equal(err.$metadata.httpStatusCode, 400);
  assert.equal(err.$metadata.requestId, ID);
  assert.equal(String(seen.response!.body), '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>'
    + `<Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>${ID}</RequestID></Response>`);

  answer(() => { throw new ServiceError('UnauthorizedOperation', 'You are not authorized to perform this operation.', { status: 403 }); });
  const denied = await client.send(new DescribeVpcsCommand({})).catch((e: unknown) => e) as typeof err;
  assert.equal(denied.name, 'UnauthorizedOperation');
  assert.equal(denied.$metadata.httpStatusCode, 403);
});

test('raw requests: MissingAction and InvalidAction in EC2 form; a bad integer', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const run = (body: string, serve: Serve = () => ({})) => exchange(ec2Codec, ec2, wireRequest('POST', '/', form, body), serve);
  let res = run('Version=2016-11-15');
  assert.equal(res.statusCode, 400);
  assert.equal(String(res.body), '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>MissingAction</Code>'
    + `<Message>The request is missing an action or a required parameter.</Message></Error></Errors><RequestID>${ID}</RequestID></Response>`);
  res = run('Action=DescribeUnicorns&Version=2016-11-15');
  assert.match(String(res.body), /<Code>InvalidAction<\/Code>/);
  res = run('Action=DescribeInstances&MaxResults=ten');
  assert.equal(res.statusCode, 400);
  assert.match(String(res.body), /<Code>InvalidParameterValue<\/Code><Message>Value ten for parameter MaxResults is invalid\. Reason: Must be an integer\.<\/Message>/);
  const seen: Exchange = {};
  exchange(ec2Codec, ec2, wireRequest('GET', '/?Action=DescribeVpcs&VpcId.1=vpc-a&Filter.1.Name=cidr&Filter.1.Value.1=10.0.0.0%2F16', {}, ''), () => ({}), seen);
  assert.deepEqual(seen.input, { VpcIds: ['vpc-a'], Filters: [{ Name: 'cidr', Values: ['10.0.0.0/16'] }] });
});
