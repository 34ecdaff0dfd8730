/**
 * Files nimbus reads at run time (generated models, quirk tables) live under the
 * package's src/ tree; this finds it from wherever the running code is (src/ under
 * tsx, dist/ after tsc, or the single-file bundle).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: the nearest ancestor holding src/models/generated. */
export function packageRoot(): string {
  if (!root) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'src', 'models', 'generated'))) {
      const up = dirname(dir);
      if (up === dir) throw new Error('nimbus: cannot find src/models/generated above ' + fileURLToPath(import.meta.url));
      dir = up;
    }
    root = dir;
  }
  return root;
}

/** A path under the package's src/ tree. */
export function resourcePath(...parts: string[]): string {
  return join(packageRoot(), 'src', ...parts);
}
