/**
 * SNS state in SQLite: topics, subscriptions, FIFO deduplication, the signing key and
 * SMS sent. Subscriptions per topic are cached for the publish path, dropped on any write.
 */
import type Database from 'better-sqlite3';
import type { Storage } from '../../state/storage.js';
import type { Tag } from '../../models/generated/sns.js';

/** A topic row. */
export interface TopicRecord {
  arn: string;
  account: string;
  region: string;
  name: string;
  /** Attributes set by the caller (DisplayName, Policy, DeliveryPolicy, FifoTopic, ...). */
  attributes: Record<string, string>;
  tags: Tag[];
  dataProtectionPolicy: string | undefined;
  subscriptionsDeleted: number;
}

/** A subscription row. */
export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  account: string;
  region: string;
  owner: string;
  protocol: string;
  endpoint: string;
  /** Attributes set by the caller (RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, ...). */
  attributes: Record<string, string>;
  pending: boolean;
  token: string | undefined;
}

const MIGRATIONS = [
  `CREATE TABLE sns_topics (
     arn TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
     attributes TEXT NOT NULL, tags TEXT NOT NULL, data_protection TEXT,
     subscriptions_deleted INTEGER NOT NULL DEFAULT 0, fifo_sequence INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX sns_topics_scope ON sns_topics (account, region, arn);
   CREATE TABLE sns_subscriptions (
     arn TEXT PRIMARY KEY, topic_arn TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL,
     owner TEXT NOT NULL, protocol TEXT NOT NULL, endpoint TEXT NOT NULL, attributes TEXT NOT NULL,
     pending INTEGER NOT NULL, token TEXT);
   CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn, arn);
   CREATE INDEX sns_subscriptions_scope ON sns_subscriptions (account, region, arn);
   CREATE UNIQUE INDEX sns_subscriptions_token ON sns_subscriptions (token);
   CREATE TABLE sns_fifo_dedup (
     topic_arn TEXT NOT NULL, dedup_id TEXT NOT NULL, message_id TEXT NOT NULL, sequence TEXT NOT NULL,
     expires_at INTEGER NOT NULL, PRIMARY KEY (topic_arn, dedup_id));
   CREATE TABLE sns_signing (id INTEGER PRIMARY KEY CHECK (id = 1), private_key TEXT NOT NULL, certificate TEXT);
   CREATE TABLE sns_sms (id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, region TEXT NOT NULL,
     phone_number TEXT NOT NULL, message_id TEXT NOT NULL, message TEXT NOT NULL, sent_at INTEGER NOT NULL);`,
  // Everything nimbus "sends" outside itself (email, email-json, SMS), readable at GET /_nimbus/sns/messages.
  `CREATE TABLE sns_outbound (id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, region TEXT NOT NULL,
     protocol TEXT NOT NULL, endpoint TEXT NOT NULL, type TEXT NOT NULL, topic_arn TEXT, subscription_arn TEXT,
     message_id TEXT NOT NULL, subject TEXT, message TEXT NOT NULL, sent_at INTEGER NOT NULL);
   INSERT INTO sns_outbound (account, region, protocol, endpoint, type, message_id, message, sent_at)
     SELECT account, region, 'sms', phone_number, 'Notification', message_id, message, sent_at FROM sns_sms ORDER BY id;
   DROP TABLE sns_sms;`,
];

/** A message nimbus delivered outside itself (email, email-json, SMS), as GET /_nimbus/sns/messages lists it. */
export interface OutboundMessage {
  account: string;
  region: string;
  protocol: string;
  endpoint: string;
  /** Notification, or SubscriptionConfirmation for an email subscription's confirmation request. */
  type: string;
  topicArn: string | undefined;
  subscriptionArn: string | undefined;
  messageId: string;
  subject: string | undefined;
  message: string;
  sentAt: number;
}

interface OutboundRow {
  account: string; region: string; protocol: string; endpoint: string; type: string; topic_arn: string | null;
  subscription_arn: string | null; message_id: string; subject: string | null; message: string; sent_at: number;
}

interface TopicRow {
  arn: string; account: string; region: string; name: string; attributes: string; tags: string;
  data_protection: string | null; subscriptions_deleted: number;
}
interface SubscriptionRow {
  arn: string; topic_arn: string; account: string; region: string; owner: string; protocol: string;
  endpoint: string; attributes: string; pending: number; token: string | null;
}

function topicOf(r: TopicRow): TopicRecord {
  return {
    arn: r.arn, account: r.account, region: r.region, name: r.name,
    attributes: JSON.parse(r.attributes), tags: JSON.parse(r.tags),
    dataProtectionPolicy: r.data_protection ?? undefined, subscriptionsDeleted: r.subscriptions_deleted,
  };
}

function subscriptionOf(r: SubscriptionRow): SubscriptionRecord {
  return {
    arn: r.arn, topicArn: r.topic_arn, account: r.account, region: r.region, owner: r.owner,
    protocol: r.protocol, endpoint: r.endpoint, attributes: JSON.parse(r.attributes),
    pending: r.pending === 1, token: r.token ?? undefined,
  };
}

/** The SNS tables and their prepared statements. */
export class SnsStore {
  readonly db: Database.Database;
  /** Topics and their subscriptions as read for publishing; any write to them drops the entry. */
  private readonly topics = new Map<string, TopicRecord>();
  private readonly byTopic = new Map<string, SubscriptionRecord[]>();
  private readonly s;

  constructor(storage: Storage) {
    storage.migrate('sns', MIGRATIONS);
    this.db = storage.db;
    const db = this.db;
    this.s = {
      getTopic: db.prepare<[string], TopicRow>('SELECT arn, account, region, name, attributes, tags, data_protection, subscriptions_deleted FROM sns_topics WHERE arn = ?'),
      putTopic: db.prepare('INSERT INTO sns_topics (arn, account, region, name, attributes, tags, data_protection) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      setTopicAttributes: db.prepare('UPDATE sns_topics SET attributes = ? WHERE arn = ?'),
      setTopicTags: db.prepare('UPDATE sns_topics SET tags = ? WHERE arn = ?'),
      setDataProtection: db.prepare('UPDATE sns_topics SET data_protection = ? WHERE arn = ?'),
      countDeleted: db.prepare('UPDATE sns_topics SET subscriptions_deleted = subscriptions_deleted + ? WHERE arn = ?'),
      nextSequence: db.prepare<[string], { fifo_sequence: number | bigint }>('UPDATE sns_topics SET fifo_sequence = fifo_sequence + 1 WHERE arn = ? RETURNING fifo_sequence'),
      deleteTopic: db.prepare('DELETE FROM sns_topics WHERE arn = ?'),
      listTopics: db.prepare<[string, string, string, number], { arn: string }>('SELECT arn FROM sns_topics WHERE account = ? AND region = ? AND arn > ? ORDER BY arn LIMIT ?'),
      getSubscription: db.prepare<[string], SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE arn = ?'),
      getByToken: db.prepare<[string], SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE token = ?'),
      findSubscription: db.prepare<[string, string, string], SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?'),
      putSubscription: db.prepare('INSERT INTO sns_subscriptions (arn, topic_arn, account, region, owner, protocol, endpoint, attributes, pending, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      setSubscriptionAttributes: db.prepare('UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?'),
      confirm: db.prepare('UPDATE sns_subscriptions SET pending = 0, attributes = ? WHERE arn = ?'),
      deleteSubscription: db.prepare('DELETE FROM sns_subscriptions WHERE arn = ?'),
      topicSubscriptions: db.prepare<[string], SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE topic_arn = ? ORDER BY arn'),
      deleteTopicSubscriptions: db.prepare('DELETE FROM sns_subscriptions WHERE topic_arn = ?'),
      listSubscriptions: db.prepare<[string, string, string, number], SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE account = ? AND region = ? AND arn > ? ORDER BY arn LIMIT ?'),
      listByTopic: db.prepare<[string, string, number], SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND arn > ? ORDER BY arn LIMIT ?'),
      getDedup: db.prepare<[string, string, number], { message_id: string; sequence: string }>('SELECT message_id, sequence FROM sns_fifo_dedup WHERE topic_arn = ? AND dedup_id = ? AND expires_at > ?'),
      putDedup: db.prepare('INSERT OR REPLACE INTO sns_fifo_dedup (topic_arn, dedup_id, message_id, sequence, expires_at) VALUES (?, ?, ?, ?, ?)'),
      sweepDedup: db.prepare('DELETE FROM sns_fifo_dedup WHERE expires_at <= ?'),
      getSigning: db.prepare<[], { private_key: string; certificate: string | null }>('SELECT private_key, certificate FROM sns_signing WHERE id = 1'),
      putSigning: db.prepare('INSERT OR IGNORE INTO sns_signing (id, private_key, certificate) VALUES (1, ?, ?)'),
      putOutbound: db.prepare('INSERT INTO sns_outbound (account, region, protocol, endpoint, type, topic_arn, subscription_arn, message_id, subject, message, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      listOutbound: db.prepare<[{ account: string | null; region: string | null; protocol: string | null; endpoint: string | null }], OutboundRow>(`SELECT * FROM sns_outbound
        WHERE (@account IS NULL OR account = @account) AND (@region IS NULL OR region = @region)
        AND (@protocol IS NULL OR protocol = @protocol) AND (@endpoint IS NULL OR endpoint = @endpoint) ORDER BY id`),
    };
    storage.onReset(() => {
      this.topics.clear();
      this.byTopic.clear();
    });
  }

  getTopic(arn: string): TopicRecord | undefined {
    let topic = this.topics.get(arn);
    if (!topic) {
      const row = this.s.getTopic.get(arn);
      if (!row) return undefined;
      topic = topicOf(row);
      this.topics.set(arn, topic);
    }
    return topic;
  }

  putTopic(t: { arn: string; account: string; region: string; name: string; attributes: Record<string, string>; tags: Tag[]; dataProtectionPolicy?: string }): void {
    this.s.putTopic.run(t.arn, t.account, t.region, t.name, JSON.stringify(t.attributes), JSON.stringify(t.tags), t.dataProtectionPolicy ?? null);
    this.topics.delete(t.arn);
  }

  setTopicAttributes(arn: string, attributes: Record<string, string>): void {
    this.s.setTopicAttributes.run(JSON.stringify(attributes), arn);
    this.topics.delete(arn);
  }

  setTopicTags(arn: string, tags: Tag[]): void {
    this.s.setTopicTags.run(JSON.stringify(tags), arn);
    this.topics.delete(arn);
  }

  setDataProtectionPolicy(arn: string, policy: string): void {
    this.s.setDataProtection.run(policy, arn);
    this.topics.delete(arn);
  }

  /** Deletes a topic and its subscriptions. */
  deleteTopic(arn: string): void {
    this.db.transaction(() => {
      this.s.deleteTopicSubscriptions.run(arn);
      this.s.deleteTopic.run(arn);
    })();
    this.topics.delete(arn);
    this.byTopic.delete(arn);
  }

  /** Topic ARNs of a region after `after`, in ARN order. */
  listTopics(account: string, region: string, after: string, limit: number): string[] {
    return this.s.listTopics.all(account, region, after, limit).map((r) => r.arn);
  }

  /** The next FIFO sequence number of a topic (committed). */
  nextSequence(arn: string): bigint {
    const row = this.s.nextSequence.get(arn);
    return BigInt(row?.fifo_sequence ?? 0);
  }

  getSubscription(arn: string): SubscriptionRecord | undefined {
    const row = this.s.getSubscription.get(arn);
    return row && subscriptionOf(row);
  }

  getSubscriptionByToken(token: string): SubscriptionRecord | undefined {
    const row = this.s.getByToken.get(token);
    return row && subscriptionOf(row);
  }

  findSubscription(topicArn: string, protocol: string, endpoint: string): SubscriptionRecord | undefined {
    const row = this.s.findSubscription.get(topicArn, protocol, endpoint);
    return row && subscriptionOf(row);
  }

  putSubscription(s: SubscriptionRecord): void {
    this.s.putSubscription.run(s.arn, s.topicArn, s.account, s.region, s.owner, s.protocol, s.endpoint, JSON.stringify(s.attributes), s.pending ? 1 : 0, s.token ?? null);
    this.byTopic.delete(s.topicArn);
  }

  setSubscriptionAttributes(s: SubscriptionRecord, attributes: Record<string, string>): void {
    this.s.setSubscriptionAttributes.run(JSON.stringify(attributes), s.arn);
    this.byTopic.delete(s.topicArn);
  }

  confirm(s: SubscriptionRecord, attributes: Record<string, string>): void {
    this.s.confirm.run(JSON.stringify(attributes), s.arn);
    this.byTopic.delete(s.topicArn);
  }

  /** Deletes a subscription and counts it in its topic's SubscriptionsDeleted. */
  deleteSubscription(s: SubscriptionRecord): void {
    this.db.transaction(() => {
      this.s.deleteSubscription.run(s.arn);
      this.s.countDeleted.run(1, s.topicArn);
    })();
    this.topics.delete(s.topicArn);
    this.byTopic.delete(s.topicArn);
  }

  /** A topic's subscriptions (cached for publishing). */
  topicSubscriptions(topicArn: string): SubscriptionRecord[] {
    let subs = this.byTopic.get(topicArn);
    if (!subs) {
      subs = this.s.topicSubscriptions.all(topicArn).map(subscriptionOf);
      this.byTopic.set(topicArn, subs);
    }
    return subs;
  }

  listSubscriptions(account: string, region: string, after: string, limit: number): SubscriptionRecord[] {
    return this.s.listSubscriptions.all(account, region, after, limit).map(subscriptionOf);
  }

  listSubscriptionsByTopic(topicArn: string, after: string, limit: number): SubscriptionRecord[] {
    return this.s.listByTopic.all(topicArn, after, limit).map(subscriptionOf);
  }

  /** The earlier message of a deduplication id still in its window, if any. */
  getDuplicate(topicArn: string, dedupId: string, now: number): { messageId: string; sequence: string } | undefined {
    const row = this.s.getDedup.get(topicArn, dedupId, now);
    return row && { messageId: row.message_id, sequence: row.sequence };
  }

  putDeduplication(topicArn: string, dedupId: string, messageId: string, sequence: string, expiresAt: number): void {
    this.s.putDedup.run(topicArn, dedupId, messageId, sequence, expiresAt);
  }

  sweepDeduplication(now: number): void {
    this.s.sweepDedup.run(now);
  }

  getSigning(): { privateKey: string; certificate: string | undefined } | undefined {
    const row = this.s.getSigning.get();
    return row && { privateKey: row.private_key, certificate: row.certificate ?? undefined };
  }

  /** Stores the signing key unless one exists (first writer wins). */
  putSigning(privateKey: string, certificate: string | undefined): void {
    this.s.putSigning.run(privateKey, certificate ?? null);
  }

  /** Records a message delivered outside nimbus. */
  putOutbound(m: OutboundMessage): void {
    this.s.putOutbound.run(m.account, m.region, m.protocol, m.endpoint, m.type, m.topicArn ?? null, m.subscriptionArn ?? null, m.messageId, m.subject ?? null, m.message, m.sentAt);
  }

  /** Messages delivered outside nimbus, oldest first; each filter applies when given. */
  outbound(filter: { account?: string; region?: string; protocol?: string; endpoint?: string }): OutboundMessage[] {
    return this.s.listOutbound.all({ account: filter.account ?? null, region: filter.region ?? null, protocol: filter.protocol ?? null, endpoint: filter.endpoint ?? null }).map((r) => ({
      account: r.account, region: r.region, protocol: r.protocol, endpoint: r.endpoint, type: r.type,
      topicArn: r.topic_arn ?? undefined, subscriptionArn: r.subscription_arn ?? undefined,
      messageId: r.message_id, subject: r.subject ?? undefined, message: r.message, sentAt: r.sent_at,
    }));
  }
}
