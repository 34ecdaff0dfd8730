/** Nimbus's programmatic API. */
export { startNimbus } from './nimbus.js';
export type { Nimbus, StartOptions } from './nimbus.js';
export type { NimbusConfig } from './config.js';
