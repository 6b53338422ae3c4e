import { join } from 'node:path';
import type { CatalogTag, SkippedRecord } from '../../shared/catalog';
import type { Offer } from '../../shared/model';
import type { CatalogEntry } from './marketplace-client';
import { writeFileAtomic, type FileSystem } from './ports';

/** One catalogue as fetched for one registration key and one GLPI version. */
export interface CatalogDoc {
  format: 1;
  fingerprint: string;
  glpiVersion: string;
  fetchedAt: string;
  complete: boolean;
  offers: Offer[];
  tags: CatalogTag[];
  entries: CatalogEntry[];
  skipped: SkippedRecord[];
}

/**
 * The last catalogue per (key fingerprint, GLPI version) on disk, written atomically (temp file,
 * then rename), so a crash mid-write leaves the previous file whole.
 */
export class CatalogCache {
  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
  ) {}

  async read(fingerprint: string, glpiVersion: string): Promise<CatalogDoc | null> {
    let text: string;
    try {
      text = await this.fs.readText(this.file(fingerprint, glpiVersion));
    } catch {
      return null;
    }
    try {
      const doc = JSON.parse(text) as Partial<CatalogDoc>;
      if (doc.format !== 1 || !Array.isArray(doc.entries) || typeof doc.fetchedAt !== 'string') return null;
      return doc as CatalogDoc;
    } catch {
      return null; // a damaged cache is just no cache: the next refresh rewrites it
    }
  }

  /** Writes `doc`, unless it is truncated and a complete list is already kept (GLPI's rule). */
  async write(doc: CatalogDoc): Promise<boolean> {
    if (!doc.complete && (await this.read(doc.fingerprint, doc.glpiVersion))?.complete) return false;
    await this.fs.mkdir(this.dir);
    await writeFileAtomic(this.fs, this.file(doc.fingerprint, doc.glpiVersion), JSON.stringify(doc), { mode: 0o600 });
    return true;
  }

  file(fingerprint: string, glpiVersion: string): string {
    return join(this.dir, `catalog-${fingerprint}-${glpiVersion.replace(/[^0-9A-Za-z.-]/g, '_')}.json`);
  }
}
