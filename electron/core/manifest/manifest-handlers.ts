/**
 * The channels of the app's Manifest dialog: a manifest's text both ways (the renderer does not
 * bundle js-yaml; the CLI reads files with the same shared/manifest-text.ts), and the manifest
 * attached to an instance.
 */
import { guessManifestFormat, manifestText, parseManifestText } from '../../../shared/manifest-text';
import type { Handlers } from '../dispatch';
import type { ManifestService } from './manifest-service';

type ManifestDialogHandlers = Pick<Handlers, 'manifest.parse' | 'manifest.format' | 'manifest.attached'>;

export function manifestDialogHandlers(manifests: ManifestService): ManifestDialogHandlers {
  return {
    'manifest.parse': (req) => {
      const format = req.format ?? guessManifestFormat(req.text);
      return Promise.resolve(parseManifestText(req.text, format === 'yaml'));
    },
    'manifest.format': (req) => Promise.resolve({ text: manifestText(req.manifest, req.format) }),
    'manifest.attached': (req) => Promise.resolve(manifests.attachedTo(req.instance)),
  };
}
