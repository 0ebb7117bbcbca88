import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own folder (bundled samples, pipelines, package.json), from dist/src/cli. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
