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
  /**
   * The copy written beside the document for the list (CatalogCache.readLight): short descriptions
   * only; no long ones, links, licence, screenshots or archive URLs. Anything but the list reads
   * the full document.
   */
  light?: true;
}

/** What the list needs of a document (shared/catalog.ts CatalogListItem), for its light copy. */
function lighten(doc: CatalogDoc): CatalogDoc {
  return {
    ...doc,
    light: true,
    entries: doc.entries.map(({ plugin }) => ({
      plugin: {
        ...plugin,
        descriptions: plugin.descriptions.map(({ lang, short }) => ({ lang, short, long: '' })),
        license: '',
        homepageUrl: null,
        issuesUrl: null,
        readmeUrl: null,
        changelogUrl: null,
        screenshots: [],
      },
      downloads: {},
    })),
  };
}

/**
 * The last catalogue per (key fingerprint, GLPI version) on disk, written atomically (temp file,
 * then rename), so a crash mid-write leaves the previous file whole. Beside it, a light copy for
 * the list (about a fifth of the size): the first rows are read from it at start without parsing
 * every description and link first.
 */
export class CatalogCache {
  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
  ) {}

  async read(fingerprint: string, glpiVersion: string): Promise<CatalogDoc | null> {
    const doc = await this.parse(this.file(fingerprint, glpiVersion));
    return doc && !doc.light ? doc : null;
  }

  /** The light copy (`CatalogDoc.light`); null when there is none (a cache older than it). */
  async readLight(fingerprint: string, glpiVersion: string): Promise<CatalogDoc | null> {
    const doc = await this.parse(this.lightFile(fingerprint, glpiVersion));
    return doc?.light ? doc : null;
  }

  private async parse(file: string): Promise<CatalogDoc | null> {
    let text: string;
    try {
      text = await this.fs.readText(file);
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
    // After the full one: a crash in between leaves an older light copy, which the service replaces
    // (and says so) once it reads the full document.
    const light = JSON.stringify(lighten(doc));
    await writeFileAtomic(this.fs, this.lightFile(doc.fingerprint, doc.glpiVersion), light, { mode: 0o600 });
    return true;
  }

  file(fingerprint: string, glpiVersion: string): string {
    return join(this.dir, `${this.base(fingerprint, glpiVersion)}.json`);
  }

  lightFile(fingerprint: string, glpiVersion: string): string {
    return join(this.dir, `${this.base(fingerprint, glpiVersion)}.list.json`);
  }

  private base(fingerprint: string, glpiVersion: string): string {
    return `catalog-${fingerprint}-${glpiVersion.replace(/[^0-9A-Za-z.-]/g, '_')}`;
  }
}
