/**
 * Test and benchmark support, not product code: a deterministic catalogue of realistic-looking
 * plugins (English and French descriptions with accents, tags, authors, offer gating, versions with
 * the compatibility strings GLPI Network really sends). Nothing in the app imports it, and the
 * production build does not compile it (*.testkit.ts).
 */
import type { CatalogPlugin, PluginDescription, PluginVersion } from './catalog';
import type { Offer } from './model';
import { mulberry32 } from './seeded-random';

/** GLPI Network's subscription tiers, lowest first, as its offers endpoint lists them. */
export const OFFER_TIERS: Offer[] = [
  { reference: 'registered', title: 'Registered' },
  { reference: 'basic', title: 'Basic' },
  { reference: 'standard', title: 'Standard' },
  { reference: 'advanced', title: 'Advanced' },
];

/**
 * One plugin with neutral defaults (free, one stable 1.0.0 version for ~10.0.0, no text), for
 * tests that care about a few fields only.
 */
export function catalogPlugin(key: string, overrides: Partial<CatalogPlugin> = {}): CatalogPlugin {
  return {
    key,
    name: key,
    logoUrl: null,
    descriptions: [],
    authors: [],
    license: 'GPL v2+',
    homepageUrl: null,
    issuesUrl: null,
    readmeUrl: null,
    changelogUrl: null,
    note: 0,
    downloads: 0,
    dateAdded: '2020-01-01',
    dateUpdated: '2020-01-01',
    requiredOffers: null,
    versions: [{ num: '1.0.0', compatibility: ['~10.0.0'], stability: 'stable' }],
    tags: [],
    screenshots: [],
    ...overrides,
  };
}

// [English subject, French subject] pairs: names are English, descriptions are in both languages.
const SUBJECTS: readonly (readonly [string, string])[] = [
  ['Asset', 'équipements'],
  ['Ticket', 'tickets'],
  ['Inventory', 'inventaire'],
  ['Report', 'rapports'],
  ['Form', 'formulaires'],
  ['Escalation', 'escalades'],
  ['Dashboard', 'tableaux de bord'],
  ['Contract', 'contrats'],
  ['Budget', 'budgets'],
  ['Mail', 'courriels'],
  ['LDAP', 'annuaires LDAP'],
  ['Printer', 'imprimantes'],
  ['Network', 'réseaux'],
  ['Barcode', 'codes-barres'],
  ['Location', 'emplacements'],
  ['Survey', 'enquêtes de satisfaction'],
  ['Workflow', 'processus'],
  ['Calendar', 'calendriers'],
  ['Timesheet', 'feuilles de temps'],
  ['Knowledge', 'base de connaissances'],
  ['Backup', 'sauvegardes'],
  ['Webhook', 'webhooks'],
  ['SLA', 'niveaux de service'],
  ['Approval', 'validations'],
  ['Order', 'commandes'],
  ['Supplier', 'fournisseurs'],
  ['Rack', 'baies'],
  ['License', 'licences'],
  ['Certificate', 'certificats'],
  ['Monitoring', 'supervision'],
  ['Phone', 'téléphones'],
  ['Project', 'projets'],
  ['Change', 'changements'],
  ['Badge', 'badges'],
  ['Reservation', 'réservations'],
  ['Credit', 'crédits'],
];

const SUFFIXES = [
  'Manager',
  'Creator',
  'Tracker',
  'Sync',
  'Builder',
  'Connector',
  'Tools',
  'Plus',
  'Center',
  'Export',
  'Import',
  'Notifier',
  'Viewer',
  'Rules',
];

const VERBS: readonly (readonly [string, string])[] = [
  ['Manage', 'Gestion des'],
  ['Track', 'Suivi des'],
  ['Synchronise', 'Synchronisation des'],
  ['Export', 'Export des'],
  ['Import', 'Import des'],
  ['Automate', 'Automatisation des'],
  ['Audit', 'Audit des'],
  ['Visualise', 'Visualisation des'],
];

const CONTEXTS: readonly (readonly [string, string])[] = [
  ['from the GLPI inventory', "depuis l'inventaire GLPI"],
  ['for every entity', 'pour chaque entité'],
  ['with configurable rules', 'avec des règles paramétrables'],
  ['in the service catalogue', 'dans le catalogue de services'],
  ['for technicians and requesters', 'pour les techniciens et les demandeurs'],
  ['across sites and buildings', 'entre sites et bâtiments'],
  ['with e-mail notifications', 'avec notifications par courriel'],
  ['on a yearly calendar', 'sur un calendrier annuel'],
];

const LONG_EN = [
  'Adds a tab on the related objects and a global view in the Tools menu.',
  'Rights can be set per profile; every action is written to the history.',
  'Compatible with the GLPI REST API and the automatic actions (cron).',
  'Settings are stored per entity and can be inherited by child entities.',
  'Includes a mass action, CSV export and a dashboard widget.',
  'See the documentation for migration notes from previous versions.',
];

const LONG_FR = [
  'Ajoute un onglet sur les objets liés et une vue globale dans le menu Outils.',
  "Les droits se règlent par profil ; chaque action est tracée dans l'historique.",
  "Compatible avec l'API REST de GLPI et les actions automatiques (cron).",
  'Les paramètres sont stockés par entité et peuvent être hérités par les sous-entités.',
  'Comprend une action massive, un export CSV et un widget de tableau de bord.',
  'Voir la documentation pour les notes de migration depuis les versions précédentes.',
];

const AUTHORS = [
  "Teclib'",
  'Infotel',
  'TICgal',
  'Walid Nouh',
  'Xavier Caillaud',
  'Frédéric Mohier',
  'Stanislas Kita',
  'Johan Cwiklinski',
  'François Legastelois',
  'Ludovic Dupont',
  'Anaïs Müller',
  'Nelly Mahu-Lasson',
];

const TAGS = [
  'inventory',
  'helpdesk',
  'asset-management',
  'reports',
  'notifications',
  'itsm',
  'security',
  'forms',
  'cmdb',
  'dashboard',
  'mail',
  'monitoring',
  'finance',
  'ldap',
  'import-export',
];

const COMPATIBILITIES = [
  ['~10.0.0'],
  ['~10.0.0'],
  ['~10.0.3'],
  ['~10.0.11'],
  ['10.0'],
  ['~11.0.0'],
  ['9.5', '10.0'],
  ['9.5'],
  ['~10.0.20'],
  ['0.85'],
];

const REQUIRED_OFFERS: readonly (string[] | null)[] = [
  ['basic', 'standard', 'advanced'],
  ['standard', 'advanced'],
  ['advanced'],
  [],
  ['enterprise'],
];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function date(r: () => number, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear, 11, 31);
  return new Date(start + Math.floor(r() * (end - start))).toISOString().slice(0, 10);
}

function sentences(r: () => number, list: readonly string[], count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(r, list));
  return out.join(' ');
}

/**
 * `n` plugins, the same for the same `seed`. Keys are unique (`[a-z0-9]+`); about 70% are free,
 * the rest gated to basic+, standard+, advanced only, `[]` or an unknown offer; versions are sorted
 * oldest first like the catalogue's.
 */
export function makeSyntheticPlugins(n: number, seed = 1): CatalogPlugin[] {
  const r = mulberry32(seed);
  const used = new Map<string, number>();
  const plugins: CatalogPlugin[] = [];
  for (let i = 0; i < n; i++) {
    const [subjectEn, subjectFr] = pick(r, SUBJECTS);
    const suffix = pick(r, SUFFIXES);
    const edition = r() < 0.15 ? ` ${1 + Math.floor(r() * 12)}` : '';
    const name = `${subjectEn} ${suffix}${edition}`;
    const base = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    const key = seen === 0 ? base : `${base}${seen + 1}`;

    const [verbEn, verbFr] = pick(r, VERBS);
    const [ctxEn, ctxFr] = pick(r, CONTEXTS);
    const descriptions: PluginDescription[] = [];
    const langs = r();
    const en: PluginDescription = {
      lang: 'en',
      short: `${verbEn} ${subjectEn.toLowerCase()}s ${ctxEn}`,
      long: `## ${name}\n\n${sentences(r, LONG_EN, 2 + Math.floor(r() * 4))}`,
    };
    const fr: PluginDescription = {
      lang: 'fr',
      short: `${verbFr} ${subjectFr} ${ctxFr}`,
      long: `## ${name}\n\n${sentences(r, LONG_FR, 2 + Math.floor(r() * 4))}`,
    };
    if (langs < 0.6) descriptions.push(en, fr);
    else if (langs < 0.8) descriptions.push(en);
    else if (langs < 0.9) descriptions.push(fr);
    else descriptions.push({ lang: 'es', short: `${subjectEn} para GLPI`, long: '' }, en);

    const authorCount = 1 + Math.floor(r() * 2);
    const authors: string[] = [];
    for (let a = 0; a < authorCount; a++) {
      const author = pick(r, AUTHORS);
      if (!authors.includes(author)) authors.push(author);
    }
    const tags: string[] = [];
    const tagCount = Math.floor(r() * 4);
    for (let t = 0; t < tagCount; t++) {
      const tag = pick(r, TAGS);
      if (!tags.includes(tag)) tags.push(tag);
    }

    const versionCount = 1 + Math.floor(r() * 4);
    const major = Math.floor(r() * 3);
    let minor = Math.floor(r() * 10);
    const versions: PluginVersion[] = [];
    for (let k = 0; k < versionCount; k++) {
      minor += 1 + Math.floor(r() * 2);
      const pre = r() < 0.1;
      versions.push({
        num: `${major}.${minor}.${Math.floor(r() * 5)}${pre ? `-beta${1 + Math.floor(r() * 3)}` : ''}`,
        compatibility: [...pick(r, COMPATIBILITIES)],
        stability: pre ? 'beta' : 'stable',
      });
    }

    const dateAdded = date(r, 2012, 2023);
    const addedYear = Number(dateAdded.slice(0, 4));
    plugins.push({
      key,
      name,
      logoUrl: r() < 0.7 ? `https://plugins.example.test/${key}/logo.png` : null,
      descriptions,
      authors,
      license: pick(r, ['GPL v2+', 'GPL v3+', 'AGPL v3+', 'MIT']),
      homepageUrl: `https://github.com/pluginsGLPI/${key}`,
      issuesUrl: `https://github.com/pluginsGLPI/${key}/issues`,
      readmeUrl: r() < 0.5 ? `https://github.com/pluginsGLPI/${key}/blob/main/README.md` : null,
      changelogUrl: r() < 0.4 ? `https://github.com/pluginsGLPI/${key}/blob/main/CHANGELOG.md` : null,
      note: r() < 0.3 ? 0 : Math.round(r() * 10) / 2,
      downloads: Math.floor(Math.exp(r() * 13)),
      dateAdded,
      dateUpdated: date(r, addedYear, 2025),
      requiredOffers: r() < 0.7 ? null : pick(r, REQUIRED_OFFERS),
      versions,
      tags,
      screenshots: [],
    });
  }
  return plugins;
}
