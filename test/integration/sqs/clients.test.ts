/**
 * SQS through the AWS CLIs and boto3 of both generations: the current ones speak
 * JSON 1.0, Debian's AWS CLI 2.9 and boto3 1.26 speak query (XML answers, query
 * error codes such as AWS.SimpleQueueService.NonExistentQueue). Each client creates
 * queues, sends with attributes, receives, changes visibility, deletes, and sees
 * SQS's errors in its own words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { installedClients, runCli, runBoto3 } from '../../helpers/nimbus.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud } = nimbusHarness();

const present = installedClients();

let n = 0;

for (const client of present) {
  const tag = `c${n++}`;
  if (client.kind === 'cli') {
    test(`${client.name}: sqs create-queue, send, receive, delete, attributes, errors`, async () => {
      const cli = (...args: string[]) => runCli(client.bin, cloud.endpoint, ['sqs', ...args]);
      const created = await cli('create-queue', '--queue-name', `${tag}-q`, '--attributes', 'VisibilityTimeout=45,DelaySeconds=0');
      assert.equal(created.status, 0, created.stderr);
      const url = JSON.parse(created.stdout).QueueUrl as string;
      assert.equal(url, `${cloud.endpoint}/000000000000/${tag}-q`);
      assert.equal(JSON.parse((await cli('get-queue-url', '--queue-name', `${tag}-q`)).stdout).QueueUrl, url);

      const sent = await cli('send-message', '--queue-url', url, '--message-body', 'from the cli',
        '--message-attributes', JSON.stringify({ color: { DataType: 'String', StringValue: 'blue' }, blob: { DataType: 'Binary', BinaryValue: 'AQID' } }));
      assert.equal(sent.status, 0, sent.stderr);
      const s = JSON.parse(sent.stdout);
      assert.equal(s.MD5OfMessageBody, createHash('md5').update('from the cli').digest('hex'));
      assert.match(s.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);

      const got = await cli('receive-message', '--queue-url', url, '--attribute-names', 'All', '--message-attribute-names', 'All', '--max-number-of-messages', '10');
      assert.equal(got.status, 0, got.stderr);
      const m = JSON.parse(got.stdout).Messages[0];
      assert.equal(m.Body, 'from the cli');
      assert.equal(m.MessageId, s.MessageId);
      assert.equal(m.MD5OfMessageAttributes, s.MD5OfMessageAttributes);
      // CLI v2 reads blob arguments as base64; CLI v1 sends the text's bytes (and prints base64 back).
      const blob = client.bin === '/usr/bin/aws' ? 'AQID' : Buffer.from('AQID').toString('base64');
      assert.deepEqual(m.MessageAttributes, { blob: { DataType: 'Binary', BinaryValue: blob }, color: { DataType: 'String', StringValue: 'blue' } });
      assert.equal(m.Attributes.ApproximateReceiveCount, '1');
      assert.equal(m.Attributes.SenderId, '000000000000');

      const attrs = JSON.parse((await cli('get-queue-attributes', '--queue-url', url, '--attribute-names', 'VisibilityTimeout', 'ApproximateNumberOfMessagesNotVisible')).stdout);
      assert.deepEqual(attrs, { Attributes: { VisibilityTimeout: '45', ApproximateNumberOfMessagesNotVisible: '1' } });
      const vis = await cli('change-message-visibility', '--queue-url', url, '--receipt-handle', m.ReceiptHandle, '--visibility-timeout', '100');
      assert.equal(vis.status, 0, vis.stderr);
      const del = await cli('delete-message', '--queue-url', url, '--receipt-handle', m.ReceiptHandle);
      assert.equal(del.status, 0, del.stderr);
      const empty = await cli('receive-message', '--queue-url', url);
      assert.equal(empty.status, 0, empty.stderr);
      assert.equal(empty.stdout.trim(), '');

      const batch = await cli('send-message-batch', '--queue-url', url, '--entries', JSON.stringify([{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two\u0001' }]));
      assert.equal(batch.status, 0, batch.stderr);
      const b = JSON.parse(batch.stdout);
      assert.deepEqual(b.Successful.map((e: { Id: string }) => e.Id), ['a']);
      assert.deepEqual(b.Failed, [{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]." }]);

      const tags = await cli('tag-queue', '--queue-url', url, '--tags', 'team=core');
      assert.equal(tags.status, 0, tags.stderr);
      assert.deepEqual(JSON.parse((await cli('list-queue-tags', '--queue-url', url)).stdout), { Tags: { team: 'core' } });
      const listed = JSON.parse((await cli('list-queues', '--queue-name-prefix', `${tag}-`)).stdout);
      assert.deepEqual(listed.QueueUrls, [url]);

      const ghost = await cli('get-queue-url', '--queue-name', `${tag}-ghost`);
      assert.notEqual(ghost.status, 0);
      assert.match(ghost.stderr, /An error occurred \(AWS\.SimpleQueueService\.NonExistentQueue\) when calling the GetQueueUrl operation: The specified queue does not exist\./);
      const badHandle = await cli('delete-message', '--queue-url', url, '--receipt-handle', 'nonsense');
      assert.match(badHandle.stderr, /An error occurred \(ReceiptHandleIsInvalid\) when calling the DeleteMessage operation: The input receipt handle "nonsense" is not a valid receipt handle\./);
      const exists = await cli('create-queue', '--queue-name', `${tag}-q`, '--attributes', 'VisibilityTimeout=46');
      assert.match(exists.stderr, /An error occurred \(QueueAlreadyExists\) when calling the CreateQueue operation: A queue already exists with the same name and a different value for attribute VisibilityTimeout/);
      const purge1 = await cli('purge-queue', '--queue-url', url);
      assert.equal(purge1.status, 0, purge1.stderr);
      const purge2 = await cli('purge-queue', '--queue-url', url);
      assert.match(purge2.stderr, /An error occurred \(AWS\.SimpleQueueService\.PurgeQueueInProgress\) when calling the PurgeQueue operation: Only one PurgeQueue operation on .* is allowed every 60 seconds\./);
      const deleted = await cli('delete-queue', '--queue-url', url);
      assert.equal(deleted.status, 0, deleted.stderr);
    });
  } else {
    test(`${client.name}: queues, messages with attributes, FIFO, and errors`, async () => {
      const r = await runBoto3(client.bin, cloud.endpoint, `
sqs = boto3.client('sqs', endpoint_url=ENDPOINT, region_name='us-east-1')
out = {}
url = sqs.create_queue(QueueName='${tag}-q', Attributes={'VisibilityTimeout': '40'})['QueueUrl']
out['url'] = url
s = sqs.send_message(QueueUrl=url, MessageBody='from boto3', MessageAttributes={'n': {'DataType': 'Number', 'StringValue': '1493147359900'}, 'b': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\x01'}})
out['md5attrs'] = s['MD5OfMessageAttributes']
got = sqs.receive_message(QueueUrl=url, AttributeNames=['All'], MessageAttributeNames=['All'], WaitTimeSeconds=1)['Messages'][0]
out['body'] = got['Body']
out['same_id'] = got['MessageId'] == s['MessageId']
out['attrs'] = {k: (v.get('StringValue') if 'StringValue' in v else list(v['BinaryValue'])) for k, v in got['MessageAttributes'].items()}
out['count'] = got['Attributes']['ApproximateReceiveCount']
sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=got['ReceiptHandle'], VisibilityTimeout=0)
again = sqs.receive_message(QueueUrl=url, AttributeNames=['ApproximateReceiveCount'])['Messages'][0]
out['count2'] = again['Attributes']['ApproximateReceiveCount']
d = sqs.delete_message_batch(QueueUrl=url, Entries=[{'Id': 'x', 'ReceiptHandle': again['ReceiptHandle']}, {'Id': 'y', 'ReceiptHandle': 'junk'}])
out['deleted'] = [e['Id'] for e in d.get('Successful', [])]
out['failed'] = [(e['Id'], e['Code'], e['SenderFault']) for e in d.get('Failed', [])]
out['visible'] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['ApproximateNumberOfMessages', 'QueueArn'])['Attributes']
f = sqs.create_queue(QueueName='${tag}-f.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
a = sqs.send_message(QueueUrl=f, MessageBody='first', MessageGroupId='g')
b = sqs.send_message(QueueUrl=f, MessageBody='first', MessageGroupId='g')
out['dedup'] = a['MessageId'] == b['MessageId'] and a['SequenceNumber'] == b['SequenceNumber']
out['seqlen'] = len(a['SequenceNumber'])
errors = {}
def code(name, fn):
    try:
        fn()
        errors[name] = None
    except botocore.exceptions.ClientError as e:
        errors[name] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
code('ghost', lambda: sqs.get_queue_url(QueueName='${tag}-ghost'))
code('handle', lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle='junk'))
code('attr', lambda: sqs.create_queue(QueueName='${tag}-bad', Attributes={'DelaySeconds': '1000'}))
code('group', lambda: sqs.send_message(QueueUrl=f, MessageBody='x'))
out['errors'] = errors
print(json.dumps(out))
`);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.url, `${cloud.endpoint}/000000000000/${tag}-q`);
      assert.equal(out.body, 'from boto3');
      assert.equal(out.same_id, true);
      assert.deepEqual(out.attrs, { n: '1493147359900', b: [0, 1] });
      assert.equal(out.count, '1');
      assert.equal(out.count2, '2');
      assert.deepEqual(out.deleted, ['x']);
      assert.deepEqual(out.failed, [['y', 'ReceiptHandleIsInvalid', true]]);
      assert.deepEqual(out.visible, { ApproximateNumberOfMessages: '0', QueueArn: `arn:aws:sqs:us-east-1:000000000000:${tag}-q` });
      assert.equal(out.dedup, true);
      assert.equal(out.seqlen, 20);
      assert.deepEqual(out.errors, {
        ghost: ['AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.', 400],
        handle: ['ReceiptHandleIsInvalid', 'The input receipt handle "junk" is not a valid receipt handle.', 404],
        attr: ['InvalidAttributeValue', 'Invalid value for the parameter DelaySeconds.', 400],
        group: ['MissingParameter', 'The request must contain the parameter MessageGroupId.', 400],
      });
    });
  }
}
