/**
 * The channels of the app's Export and Import dialogs: `bundles.create`, `inspect` and `import` on
 * files the page names by reference (bundle-files.ts), a preview of what a bundle would hold, and
 * the references' release. The path-naming channels are the CLI's only (shared/ipc/contract.ts
 * CLI_ONLY_CHANNELS).
 */
import type { Handlers } from '../dispatch';
import type { BundleFiles } from './bundle-files';
import type { BundleProgressListener, BundleService } from './bundle-service';

type BundleDialogHandlers = Pick<
  Handlers,
  | 'bundles.chooseSave'
  | 'bundles.chooseOpen'
  | 'bundles.preview'
  | 'bundles.export'
  | 'bundles.check'
  | 'bundles.apply'
  | 'bundles.release'
>;

export function bundleDialogHandlers(
  bundles: BundleService,
  files: BundleFiles,
  onProgress: BundleProgressListener,
  /** An import (not a plan) ended, whether it changed anything or not. */
  afterImport: () => void,
): BundleDialogHandlers {
  return {
    'bundles.chooseSave': (req) => files.chooseSave(req.name),
    'bundles.chooseOpen': () => files.chooseOpen(),
    'bundles.preview': (req) => bundles.preview(req),
    'bundles.export': ({ ref, ...req }) =>
      files.run(ref, 'output', (out) => bundles.create({ ...req, out }, onProgress)),
    'bundles.check': ({ ref, sha256 }) => files.run(ref, 'input', (file) => bundles.inspect(file, sha256, onProgress)),
    'bundles.apply': async ({ ref, ...req }) => {
      try {
        return await files.run(ref, 'input', (file) => bundles.import({ ...req, file }, onProgress));
      } finally {
        if (!req.plan) afterImport();
      }
    },
    'bundles.release': async ({ ref }) => ({ released: await files.release(ref) }),
  };
}
