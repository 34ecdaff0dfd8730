/**
 * The services of one nimbus instance: the implemented ones with their models and
 * providers, and every other AWS service known from the catalog (answered with 501).
 */
import { loadModel, loadMetadata, type ServiceModel, type Operation } from '../models/model.js';
import { catalogByEndpointPrefix, catalogBySigningName, catalogByTargetPrefix, skeletonModel, type CatalogEntry } from '../models/catalog.js';
import type { Provider, ServiceDefinition, ServiceEnv } from './context.js';

/** A service as the gateway dispatches to it. */
export interface LoadedService {
  readonly name: string;
  readonly model: ServiceModel;
  /** Present when nimbus implements the service and it is enabled. */
  readonly definition?: ServiceDefinition;
  provider?: Provider;
}

/** Implemented services by endpoint prefix, plus lookups by signing name, target prefix and host. */
export class ServiceTable {
  private readonly byName = new Map<string, LoadedService>();
  private readonly bySigning = new Map<string, LoadedService[]>();
  private readonly byTarget = new Map<string, LoadedService>();
  private readonly unimplemented = new Map<string, LoadedService>();

  constructor(definitions: readonly ServiceDefinition[]) {
    for (const definition of definitions) {
      // Models load on a service's first request; startup reads only their metadata.
      const metadata = loadMetadata(definition.name);
      let model: ServiceModel | undefined;
      const s: LoadedService = {
        name: definition.name,
        definition,
        get model() {
          return (model ??= loadModel(definition.name));
        },
      };
      this.byName.set(s.name, s);
      const signing = metadata.signingName ?? metadata.endpointPrefix;
      const list = this.bySigning.get(signing) ?? [];
      list.push(s);
      this.bySigning.set(signing, list);
      if (metadata.targetPrefix) this.byTarget.set(metadata.targetPrefix, s);
    }
  }

  /** Creates every provider. */
  async start(env: ServiceEnv): Promise<void> {
    for (const s of this.byName.values()) s.provider = await s.definition!.create(env);
  }

  /** Stops background work of every service. */
  async stop(): Promise<void> {
    for (const s of this.byName.values()) await s.definition?.stop?.();
  }

  /** The implemented services. */
  implemented(): LoadedService[] {
    return [...this.byName.values()];
  }

  /** A service by endpoint prefix: implemented, or a skeleton from the catalog. */
  byEndpointPrefix(name: string): LoadedService | undefined {
    return this.byName.get(name) ?? this.fromCatalog(catalogByEndpointPrefix(name));
  }

  /** The service a JSON target prefix belongs to. */
  byTargetPrefix(prefix: string): LoadedService | undefined {
    return this.byTarget.get(prefix) ?? this.fromCatalog(catalogByTargetPrefix(prefix));
  }

  /** The implemented service with this endpoint prefix or signing name, without consulting the catalog. */
  implementedByName(name: string): LoadedService | undefined {
    return this.byName.get(name) ?? this.bySigning.get(name)?.[0];
  }

  /** Services signing with this name (dynamodb and its streams share one). */
  bySigningName(name: string): readonly LoadedService[] {
    const own = this.bySigning.get(name);
    if (own) return own;
    return catalogBySigningName(name).map((e) => this.fromCatalog(e)!);
  }

  private fromCatalog(entry: CatalogEntry | undefined): LoadedService | undefined {
    if (!entry) return undefined;
    const known = this.byName.get(entry.endpointPrefix);
    if (known) return known;
    let s = this.unimplemented.get(entry.endpointPrefix);
    if (!s) {
      s = { name: entry.endpointPrefix, model: skeletonModel(entry) };
      this.unimplemented.set(entry.endpointPrefix, s);
    }
    return s;
  }
}

const methodNames = new WeakMap<Operation, string>();

/** The provider method name of an operation: AssumeRole -> assumeRole. */
export function methodName(op: Operation): string {
  let name = methodNames.get(op);
  if (!name) {
    name = op.name.charAt(0).toLowerCase() + op.name.slice(1);
    methodNames.set(op, name);
  }
  return name;
}
