#!/usr/bin/env node
// Runs the CLI bundled into one file (npm ci builds it through the prepare script):
// one module to load instead of a hundred keeps startup near node's own.
import('../dist/nimbus.mjs');
