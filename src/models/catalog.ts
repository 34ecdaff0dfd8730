/**
 * Every AWS service's routing facts (src/models/generated/index.json), loaded on
 * first need, so that a request to any service can be attributed to it and answered
 * (501 for services and operations nimbus does not implement).
 */
import { readFileSync } from 'node:fs';
import { resourcePath } from '../shared/resources.js';
import { modelFromJson, type ServiceModel } from './model.js';

/** One service's entry in the index. */
export interface CatalogEntry {
  botocoreName: string;
  endpointPrefix: string;
  signingName: string;
  serviceId: string;
  apiVersion: string;
  protocol: string;
  protocols: string[];
  jsonVersion?: string;
  targetPrefix?: string;
  awsQueryCompatible?: boolean;
  /** Operation name -> [method, requestUri] for rest protocols, 0 otherwise. */
  operations: Record<string, [string, string] | 0>;
}

interface Index {
  botocoreVersion: string;
  services: Record<string, CatalogEntry>;
}

let index: Index | undefined;
let bySigning: Map<string, CatalogEntry[]> | undefined;
let byTarget: Map<string, CatalogEntry> | undefined;
const skeletons = new Map<string, ServiceModel>();

function load(): Index {
  if (!index) {
    const file = resourcePath('models', 'generated', 'index.json');
    index = JSON.parse(readFileSync(file, 'utf8')) as Index;
    bySigning = new Map();
    byTarget = new Map();
    for (const e of Object.values(index.services)) {
      const list = bySigning.get(e.signingName) ?? [];
      list.push(e);
      bySigning.set(e.signingName, list);
      if (e.targetPrefix && !byTarget.has(e.targetPrefix)) byTarget.set(e.targetPrefix, e);
    }
  }
  return index;
}

/** The botocore version the models were generated from. */
export function botocoreVersion(): string {
  return load().botocoreVersion;
}

/** Services that sign with this name (several for e.g. dynamodb and its streams). */
export function catalogBySigningName(name: string): readonly CatalogEntry[] {
  load();
  return bySigning!.get(name) ?? [];
}

/** The service whose JSON target prefix this is. */
export function catalogByTargetPrefix(prefix: string): CatalogEntry | undefined {
  load();
  return byTarget!.get(prefix);
}

/** The service with this endpoint prefix. */
export function catalogByEndpointPrefix(prefix: string): CatalogEntry | undefined {
  return load().services[prefix];
}

/**
 * A model with the service's metadata and operations but no shapes: enough for a
 * codec to resolve the operation and serialize an error (the 501 answer).
 */
export function skeletonModel(entry: CatalogEntry): ServiceModel {
  let model = skeletons.get(entry.endpointPrefix);
  if (!model) {
    const operations: Record<string, unknown> = {};
    for (const [name, http] of Object.entries(entry.operations)) {
      operations[name] = { name, http: http ? { method: http[0], requestUri: http[1] } : { method: 'POST', requestUri: '/' } };
    }
    model = modelFromJson({
      metadata: {
        apiVersion: entry.apiVersion, endpointPrefix: entry.endpointPrefix, signingName: entry.signingName, serviceId: entry.serviceId,
        protocol: entry.protocol, protocols: entry.protocols, jsonVersion: entry.jsonVersion, targetPrefix: entry.targetPrefix,
        awsQueryCompatible: entry.awsQueryCompatible ? {} : undefined,
      },
      operations,
      shapes: {},
    });
    skeletons.set(entry.endpointPrefix, model);
  }
  return model;
}
