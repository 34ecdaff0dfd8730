/** The signing key's certificate parses as X.509 and verifies the signatures SNS documents. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createVerify } from 'node:crypto';
import { Storage } from '../../state/storage.js';
import { SnsStore } from './store.js';
import { Signer, canonicalString, type SignedFields } from './signing.js';

const fields: SignedFields = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
  Subject: 'My First Message',
  Message: 'Hello world!',
  Timestamp: '2012-05-02T00:54:06.655Z',
};

test('canonical string of a notification and of a confirmation', () => {
  assert.equal(canonicalString(fields), 'Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\nTimestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n');
  const { Subject: _s, ...noSubject } = fields;
  assert.equal(canonicalString(noSubject), 'Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nTimestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n');
  assert.equal(canonicalString({ ...noSubject, Type: 'SubscriptionConfirmation', Token: 'tok', SubscribeURL: 'https://x/?Action=ConfirmSubscription' }),
    'Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubscribeURL\nhttps://x/?Action=ConfirmSubscription\nTimestamp\n2012-05-02T00:54:06.655Z\nToken\ntok\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nSubscriptionConfirmation\n');
});

test('signatures verify with the certificate\'s key, SHA1 for version 1 and SHA256 for version 2; the key persists', () => {
  const storage = new Storage({ ephemeral: true });
  try {
    const store = new SnsStore(storage);
    const signer = new Signer(store);
    const cert = new X509Certificate(signer.certificate());
    assert.equal(cert.subject, 'CN=sns.amazonaws.com');
    assert.equal(cert.verify(cert.publicKey), true);
    for (const [version, algorithm] of [['1', 'RSA-SHA1'], ['2', 'RSA-SHA256']]) {
      const signature = signer.sign(fields, version);
      const ok = createVerify(algorithm).update(canonicalString(fields)).verify(cert.publicKey, signature, 'base64');
      assert.equal(ok, true, `version ${version}`);
    }
    // A second signer over the same store uses the stored key.
    assert.equal(new Signer(store).certificate(), signer.certificate());
  } finally {
    storage.close();
  }
});
