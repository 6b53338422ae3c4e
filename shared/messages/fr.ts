import type { Messages, NETWORK_STEP_TITLES as EnglishStepTitles } from './en';
import type { MessageRef } from './ref';
import { renderRefs } from './ref-list';

type P<K extends string> = Record<K, string>;

/** The doctor's SSH steps (`ssh.<step>`), by step. */
const SSH_STEPS = {
  dns: 'Résolution DNS',
  tcp: 'Connexion TCP',
  'host-key': 'Négociation SSH et clé d’hôte',
  auth: 'Authentification',
  sudo: 'Agir en tant qu’utilisateur du serveur web (sudo)',
};

/** A step's title; the text itself when it names no step. */
function sshStep(step: string): string {
  return (SSH_STEPS as Record<string, string | undefined>)[step] ?? step;
}

const ARCHIVE_REASONS: Record<string, string> = {
  truncated: 'elle est tronquée',
  corrupt: 'elle est endommagée',
  empty: 'elle est vide',
  'unknown-format': 'son format n’est ni zip, ni tar.gz, ni tar.bz2',
  'no-setup-php': 'le dossier du greffon n’a pas de setup.php',
};

const DOWNLOAD_FIXES: Record<string, string> = {
  network:
    'Vérifiez la connexion à GLPI Network (le diagnostic nomme l’étape en échec), puis relancez le téléchargement.',
  entitlement: 'L’abonnement n’inclut pas ce greffon. Passez à une offre supérieure ou renouvelez-le, puis réessayez.',
  'not-found': 'Synchronisez le catalogue et réessayez ; si le problème persiste, signalez-le à l’auteur du greffon.',
  truncated: 'Relancez le téléchargement ; si le problème persiste, signalez-le à l’auteur du greffon.',
  checksum: 'N’installez pas ce fichier ; réessayez plus tard, ou signalez-le à l’auteur du greffon.',
};

function errnoFix(errno: string, where: string): string {
  switch (errno) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `Le disque qui contient ${where} est plein (ou votre quota est atteint). Libérez de la place, puis réessayez.`;
    case 'EACCES':
    case 'EPERM':
      return `Marketdesk n’a pas le droit de modifier ${where}. Donnez au compte qui exécute Marketdesk l’accès en écriture (le même que celui du serveur web), ou lancez Marketdesk sous ce compte, puis réessayez.`;
    case 'EBUSY':
      return `Un fichier de ${where} est en cours d’utilisation (souvent un antivirus, un éditeur ou un terminal ouvert, ou le serveur web sous Windows). Fermez ce qui l’utilise, patientez un instant, puis réessayez.`;
    case 'EXDEV':
      return `${where} s’étend sur deux systèmes de fichiers (un point de montage dans marketplace/ ?) : le greffon ne peut pas être remplacé de façon atomique. Placez marketplace/ et marketplace/.marketdesk sur le même système de fichiers, puis réessayez.`;
    case 'EROFS':
      return `${where} est sur un système de fichiers en lecture seule. Remontez-le en lecture-écriture, puis réessayez.`;
    default:
      return `Vérifiez que ${where} existe et est accessible en écriture, puis réessayez.`;
  }
}

const PASTE_AGAIN =
  'Copiez à nouveau la clé depuis votre compte GLPI Network (clé d’enregistrement) et collez-la seule.';

const REMOVED: Record<string, string> = {
  quotes: 'guillemets',
  spaces: 'espaces et retours à la ligne',
  invisible: 'caractères invisibles',
  copy: 'la seconde copie',
};

function cleanedHint(p: P<'cleaned' | 'removed' | 'cleanedLength' | 'decodes'>): string {
  if (!p.cleaned) return '';
  const removed = p.removed
    .split(',')
    .filter(Boolean)
    .map((code) => REMOVED[code] ?? code)
    .join(', ');
  return ` Nettoyée (${removed} retirés), ce serait ${p.cleaned}, ${p.cleanedLength} caractères${p.decodes ? ', qui se décode' : ''}.`;
}

function atPositions(list: string): string {
  return list
    .split('|')
    .map((pair) => {
      const at = pair.lastIndexOf('@');
      return at < 0 ? pair : `${pair.slice(0, at)} en position ${pair.slice(at + 1)}`;
    })
    .join(', ');
}

function about(code: string): string {
  return code === 'repeated' ? ' (une copie de la clé répétée)' : code ? ' (une fois nettoyée)' : '';
}

const SERVER_SUSPECTS =
  'Si GLPI indique toujours que l’enregistrement n’est pas valide, c’est le serveur GLPI lui-même qu’il faut soupçonner : son accès réseau à GLPI Network (proxy, DNS, pare-feu), son horloge (une date fausse casse TLS) ou son glpicrypt.key (GLPI ne peut pas déchiffrer la clé qu’il a enregistrée : voir les vérifications de l’instance).';

function notAFolder(p: P<'what' | 'error'>): string {
  if (p.what === 'missing') return 'n’existe pas';
  return p.what === 'error' ? `ne peut pas être examiné : ${p.error}` : 'n’est pas un dossier';
}

function rootProblem(p: P<'root' | 'problem' | 'error'>): string {
  if (p.problem === 'missing') return `${p.root} n’existe pas`;
  if (p.problem === 'error') return `${p.root} ne peut pas être ouvert : ${p.error}`;
  if (p.problem === 'other') return `${p.root} n’est pas un dossier`;
  if (p.problem === 'inspect') return `${p.root} ne peut pas être examiné : ${p.error}`;
  return `${p.root} n’est pas un dossier GLPI : ni inc/define.php (9.5, 10.0) ni src/autoload/constants.php (11) ne s’y trouvent`;
}

function webUser(p: P<'web'>): string {
  return p.web || 'l’utilisateur du serveur web (www-data ou apache)';
}

function readAccess(p: P<'owner' | 'path' | 'quoted' | 'rhel' | 'mode' | 'config' | 'posix'>): string {
  if (!p.posix) return `Donnez au compte sous lequel tourne le serveur web l’accès en lecture à ${p.path}.`;
  return `chown ${p.owner} ${p.quoted}${p.rhel ? ' (apache:apache sur les dérivés de RHEL)' : ''} et chmod ${p.mode} ${p.quoted}${p.config ? ' (GLPI y écrit aussi : cache.php, glpicrypt.key)' : ''}`;
}

function legacyNote(p: P<'legacy'>): string {
  return p.legacy
    ? ' Un ancien glpi.key (GLPI 9.4.6–9.4.x) se trouve dans le même dossier : GLPI 9.5+ ne s’en sert que pour déchiffrer les valeurs écrites avant la 9.5 ; il ne peut pas remplacer glpicrypt.key.'
    : '';
}

function sizeHint(p: P<'hint' | 'bytes' | 'quoted'>): string {
  if (p.hint === 'newline')
    return ` Son dernier octet est un retour à la ligne (ajouté par un éditeur ou par echo) : le retirer (truncate -s ${p.bytes} ${p.quoted}) redonne la clé d’origine.`;
  return p.hint === 'base64'
    ? ' 44 octets, c’est la taille d’une clé encodée en base64 : elle doit être enregistrée décodée (octets bruts).'
    : '';
}

function phpUpgrade(p: P<'min' | 'max'>): string {
  return `Installez PHP ${p.min} ou plus récent${p.max ? ` (avant ${p.max})` : ''} pour le serveur web et la ligne de commande : sous Debian/Ubuntu avec les paquets php de la distribution (ou packages.sury.org pour d’autres versions), sous les dérivés de RHEL avec \`dnf module enable php:<version>\` ou le dépôt de Remi.`;
}

function forPlatform(p: P<'platform'>, ways: { linux: string; windows: string; mac: string }): string {
  if (p.platform === 'linux') return ways.linux;
  if (p.platform === 'win32') return ways.windows;
  if (p.platform === 'darwin') return ways.mac;
  return `${ways.linux} ; ${ways.windows} ; ${ways.mac}`;
}

const PROXY_SETTINGS = 'Marketdesk : Réglages > Réseau';
const EXTRA_CERTS = 'Marketdesk : Réglages > Réseau > Certificats supplémentaires';

type Timed = { ms?: string };
type PT<K extends string> = P<K> & Timed;

function timed(p: Timed, text: string): string {
  return p.ms ? `${text} (${p.ms} ms)` : text;
}

function limitText(p: P<'limit' | 'total'>): string {
  return p.total ? `${p.limit} ms (le temps accordé à toute la vérification était écoulé)` : `${p.limit} ms`;
}

function clockFix(p: P<'platform'>): string {
  return forPlatform(p, {
    linux:
      'sous Linux : activez l’heure réseau avec `timedatectl set-ntp true` (en root), puis vérifiez avec `timedatectl status`',
    windows:
      'sous Windows : Paramètres > Heure et langue > Date et heure, activez « Régler l’heure automatiquement » et cliquez sur « Synchroniser maintenant »',
    mac: 'sous macOS : Réglages Système > Général > Date et heure, activez « Régler la date et l’heure automatiquement »',
  });
}

function trustRootFix(p: P<'platform'>): string {
  return forPlatform(p, {
    linux:
      'sous Debian/Ubuntu : `cp root.crt /usr/local/share/ca-certificates/ && update-ca-certificates` (en root ; le nom du fichier doit finir par .crt) ; sous RHEL/Fedora : `cp root.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust` (en root)',
    windows:
      'sous Windows : lancez certlm.msc en administrateur, clic droit sur Autorités de certification racines de confiance > Toutes les tâches > Importer, et importez root.crt',
    mac: 'sous macOS : ouvrez Trousseaux d’accès, importez root.crt dans le trousseau Système, puis ouvrez-le et réglez Se fier > « Lors de l’utilisation de ce certificat » sur Toujours approuver',
  });
}

function trustRootSteps(p: P<'root' | 'platform'>): string {
  return `Demandez à votre service informatique le certificat racine ${p.root ? `de ${p.root}` : 'de l’autorité du proxy'} (enregistré sous root.crt) et faites-lui confiance : ${trustRootFix(p)}. Ajoutez ensuite ce même fichier dans ${EXTRA_CERTS}.`;
}

function firewall(p: P<'port' | 'host' | 'addresses'>): string {
  return `autorisez dans le pare-feu les connexions TCP sortantes sur le port ${p.port} de cette machine vers ${p.host}${p.addresses ? ` (${p.addresses})` : ''}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function hop(p: P<'hop' | 'proxy'>): string {
  return p.proxy ? `le proxy ${p.hop}` : p.hop;
}

function via(p: P<'proxy'>): string {
  return p.proxy ? ` via le proxy ${p.proxy}` : '';
}

/** Les titres des étapes de connexion : ceux du diagnostic (`title.network.<étape>`) et, en minuscule, dans les phrases. */
const NETWORK_STEP_TITLES: Record<keyof typeof EnglishStepTitles, string> = {
  route: 'Choix du proxy',
  dns: 'Résolution DNS',
  tcp: 'Connexion TCP',
  tls: 'Négociation TLS',
  http: 'Réponse HTTP',
  clock: 'Horloge',
};

/** Un titre d’étape au milieu d’une phrase : première lettre en minuscule (les sigles restent). */
function networkStep(step: string): string | undefined {
  const title = (NETWORK_STEP_TITLES as Record<string, string | undefined>)[step];
  return title && title.charAt(0).toLowerCase() + title.slice(1);
}

const KEY_STATES: Record<string, string> = {
  none: 'absente',
  valid: 'valide',
  invalid: 'non valide',
  terminated: 'liée à un abonnement terminé',
  unreachable: 'injoignable',
};

const SSH_AUTH: Record<string, string> = {
  agent: 'avec une clé de l’agent SSH',
  key: 'avec son fichier de clé',
  password: 'avec son mot de passe',
};

function sshFirewall(p: P<'port'>): string {
  return `un pare-feu entre cet ordinateur et le serveur doit laisser passer le port TCP ${p.port}`;
}

function hostKeySteps(p: P<'known' | 'name' | 'readd'>): string {
  return [
    ...(p.known ? [`retirez l’ancienne entrée de known_hosts : ssh-keygen -R ${p.known}`] : []),
    ...(p.readd
      ? [`remplacez la clé mémorisée pour ${p.name} : marketdesk instance remove ${p.name}, puis ${p.readd}`]
      : []),
  ].join(' ; puis ');
}

const RHEL_NOTE = ' (apache:apache sur les dérivés de RHEL)';
const CHANGE_KEY = 'security:change_key';
const CHANGE_KEY_LEGACY = 'glpi:security:change_key';

function changeKey(p: P<'console'>): string {
  if (p.console === 'legacy') return `${CHANGE_KEY_LEGACY} (GLPI avant 10.0.6 ; \`${CHANGE_KEY}\` à partir de 10.0.6)`;
  const before = p.console === 'modern' ? 'avant' : 'avant 10.0.6';
  return `${CHANGE_KEY} (GLPI 10.0.6+ et 11 ; \`${CHANGE_KEY_LEGACY}\` ${before})`;
}

const SECRETS_TO_REENTER =
  'les mots de passe des collecteurs de courriels, des annuaires LDAP, du serveur SMTP (et les secrets OAuth), du proxy, les identifiants SNMP/inventaire, les secrets des greffons, et la clé d’enregistrement GLPI Network (Configuration > Générale > GLPI Network)';

function marketplaceDefine(p: P<'override' | 'web'>): string {
  return p.override
    ? `ou modifiez GLPI_MARKETPLACE_DIR dans ${p.override} pour un dossier où ${webUser(p)} peut écrire`
    : `ou définissez GLPI_MARKETPLACE_DIR (dans inc/downstream.php ou config/local_define.php) comme un dossier où ${webUser(p)} peut écrire`;
}

/**
 * The core's messages in French, GLPI's own words (« greffon », « clé d’enregistrement »). Typed
 * as `Messages`: a message missing here, or one English no longer has, does not compile. Written
 * with plain spaces before « : ; ! ? »; `frenchSpacing` makes them non-breaking.
 */
const messages: Messages = {
  'doctor.report.heading': () => 'Rapport de diagnostic Marketdesk',
  'doctor.report.when': (p: P<'at'>) => `Date : ${p.at}`,
  'doctor.report.profile': (p: P<'profile' | 'shell'>) => `Profil : ${p.profile} (${p.shell})`,
  'doctor.report.servicesUrl': (p: P<'url'>) => `GLPI Network : ${p.url}`,
  'doctor.report.overall': (p: P<'state'>) => `Bilan : **${p.state}**`,
  'doctor.report.fix': () => 'Que faire :',
  'doctor.report.redacted': () => '_La clé d’enregistrement et les identifiants du proxy sont exclus de ce rapport._',
  'cli.doctor.overall': (p: P<'state'>) =>
    `Bilan : ${p.state}. Enregistrez un rapport avec : marketdesk doctor --markdown > rapport.md`,
  'doctor.state.ok': () => 'OK',
  'doctor.state.warning': () => 'AVERTISSEMENT',
  'doctor.state.failed': () => 'ÉCHEC',
  'doctor.state.skipped': () => 'IGNORÉ',
  'doctor.section.network': (p: P<'url'>) => `Accès à GLPI Network (${p.url})`,
  'doctor.section.key': () => 'Clé d’enregistrement',
  'doctor.section.instance': () => 'Instance GLPI',
  'doctor.section.ssh': (p: P<'address'>) => `Connexion SSH (${p.address})`,
  'doctor.notChecked.network': (p: P<'step'>) =>
    `Non vérifié : la connexion à GLPI Network a échoué avant (${networkStep(p.step) ?? 'étape inconnue'}).`,
  'doctor.notChecked.noKey': () => 'il n’y a pas de clé à vérifier',
  'doctor.notChecked.ssh': (p: P<'step'>) =>
    `Non vérifié : parce que ${p.step ? `l’étape « ${sshStep(p.step)} »` : 'une étape précédente'} a échoué.`,
  'doctor.notChecked.noInstance': () => 'Aucune instance GLPI n’est configurée dans ce profil.',
  'doctor.disk.unmeasured': (p: P<'path' | 'error'>) =>
    `L’espace libre du volume contenant ${p.path} n’a pas pu être mesuré : ${p.error}.`,
  'doctor.disk.failed': (p: P<'free' | 'path' | 'needed'>) =>
    `Seulement ${p.free} libres sur le volume contenant ${p.path} : l’installation d’un greffon (téléchargement, décompression, sauvegarde de l’ancienne version) demande plus de ${p.needed}.`,
  'doctor.disk.warning': (p: P<'free' | 'path' | 'below'>) =>
    `${p.free} libres sur le volume contenant ${p.path} : sous ${p.below}, les gros greffons ou plusieurs installations peuvent échouer.`,
  'doctor.disk.ok': (p: P<'free' | 'path'>) => `${p.free} libres sur le volume contenant ${p.path}.`,
  'doctor.disk.fix': (p: P<'path' | 'quoted'>) =>
    `Libérez de la place sur le volume contenant ${p.path} (df -h ${p.quoted}) : anciennes sauvegardes, journaux sous files/_log, files/_tmp, ou archives de greffons inutilisées.`,

  'key.text.nothing': () => 'Rien n’a été collé.',
  'key.text.onlyWhitespace': (p: P<'chars'>) => `Seuls des blancs ont été collés (${p.chars}), pas de clé.`,
  'key.text.fix.paste': () => 'Collez la clé depuis votre compte GLPI Network (clé d’enregistrement).',
  'key.text.fix.pasteAgain': () => PASTE_AGAIN,
  'key.text.tooLong': (p: P<'length' | 'max'>) =>
    `${p.length} caractères : une clé d’enregistrement en compte au plus ${p.max}. Autre chose a été collé avec elle.`,
  'key.text.tooShort': (p: P<'length'>) => `Seulement ${p.length} caractères : la clé semble coupée.`,
  'key.text.lengthOk': (p: P<'length' | 'pasted'>) =>
    `${p.length} caractères${p.pasted ? ` (${p.pasted} tels que collés)` : ''}.`,
  'key.text.inside': (p: P<'chars' | 'positions' | 'more' | 'width'>) =>
    `La clé contient ${p.chars} (en position ${p.positions}${p.more ? ` et ${p.more} autres` : ''})${p.width ? ` : elle a été coupée tous les ${p.width} caractères, comme le font les logiciels de messagerie et les outils base64` : ''}. GLPI Network ne la reconnaîtrait pas.`,
  'key.text.fix.join': () =>
    'Rassemblez les lignes en une seule (sans espaces), ou copiez à nouveau la clé depuis la page de votre compte GLPI Network.',
  'key.text.around': (p: P<'chars'>) =>
    `${p.chars} autour de la clé : Marketdesk les retire, mais veillez à ce qu’ils ne la suivent pas dans GLPI ou dans un script.`,
  'key.text.fix.around': () =>
    'Quand vous collez la clé dans GLPI (Configuration > Générale > GLPI Network) ou dans un script de déploiement, collez-la sans espaces ni retours à la ligne autour.',
  'key.text.noWhitespace': () => 'Ni espaces ni retours à la ligne.',
  'key.text.quoted': (p: P<'open' | 'close' | 'typographic'>) =>
    `La clé est entourée de guillemets (${p.open}…${p.close}${p.typographic ? ' (typographiques)' : ''}), comme copiée depuis un fichier de configuration, un script ou un courriel.`,
  'key.text.strayQuote': (p: P<'quote' | 'start'>) =>
    `Un guillemet isolé (${p.quote} ${p.start ? 'au début' : 'à la fin'}) ne fait pas partie de la clé.`,
  'key.text.fix.quotes': () => 'Retirez les guillemets et collez la clé seule.',
  'key.text.noQuotes': () => 'Pas de guillemets autour de la clé.',
  'key.text.masked': () =>
    'Le texte contient « … » ou « • » : c’est la forme masquée qu’affichent Marketdesk ou GLPI (les 4 premiers et les 4 derniers caractères), pas la clé.',
  'key.text.fix.masked': () => 'Copiez la clé complète depuis la page de votre compte GLPI Network.',
  'key.text.oddCharacters': (p: P<'list' | 'more'>) =>
    `La clé contient des caractères qui n’apparaissent jamais dans une clé d’enregistrement : ${atPositions(p.list)}${p.more ? ` et ${p.more} autres` : ''}.`,
  'key.text.fix.oddCharacters': () =>
    `${PASTE_AGAIN} Copier depuis un éditeur de texte brut évite les caractères invisibles.`,
  'key.text.printable': () => 'Uniquement des caractères ASCII imprimables.',
  'key.text.repeated': (p: P<'length' | 'masked'>) =>
    `Les mêmes ${p.length} caractères (${p.masked}) apparaissent deux fois de suite : la clé a été collée deux fois.`,
  'key.text.fix.repeated': () => 'Videz le champ et collez la clé une seule fois.',
  'key.text.notRepeated': () => 'La clé n’est pas répétée.',
  'key.text.notJson': () =>
    'la clé n’est pas du JSON encodé en base64 ; GLPI traite les clés comme opaques, il n’y a donc rien de plus à y vérifier',
  'key.text.damaged': (p: P<'about' | 'why'>) => `La clé${about(p.about)} semble tronquée ou endommagée : ${p.why}.`,
  'key.text.fix.damaged': () =>
    `${PASTE_AGAIN} Vérifiez que toute la clé est sélectionnée : elle est longue et se termine souvent par « = ».`,
  'key.text.json': (p: P<'about'>) => `La clé${about(p.about)} est du JSON encodé en base64 complet.`,
  'key.text.refused': (p: P<'reason' | 'cleaned' | 'removed' | 'cleanedLength' | 'decodes'>) =>
    `Marketdesk la refuse : ${p.reason}${cleanedHint(p)}`,
  'key.text.wouldAccept': (p: P<'masked' | 'length' | 'cleaned' | 'removed' | 'cleanedLength' | 'decodes'>) =>
    `Marketdesk accepterait ${p.masked} (${p.length} caractères), mais GLPI Network ne la reconnaîtra pas : voir les vérifications en échec ci-dessus.${cleanedHint(p)}`,
  'key.text.resultOk': (p: P<'masked' | 'length' | 'trimmed'>) =>
    `La clé est ${p.masked} (${p.length} caractères)${p.trimmed ? ' une fois les blancs autour retirés' : ''}.`,
  'key.storage.noKeychain': () =>
    'Aucun trousseau du système utilisable : la clé est gardée en mémoire pour cette session seulement et devra être saisie à nouveau après un redémarrage.',
  'key.storage.fix.noKeychain': () =>
    'Installez et déverrouillez un trousseau du système (sous Linux, un fournisseur Secret Service comme gnome-keyring ou KWallet, déverrouillé à la connexion), puis enregistrez à nouveau la clé. Sur un serveur sans interface graphique, la CLI lit la clé sur l’entrée standard à chaque lancement.',
  'key.storage.notPersistent': () =>
    'Le trousseau du système est utilisé, mais il ne garde pas les secrets d’un redémarrage à l’autre (une collection temporaire ou limitée à la session) : la clé sera demandée à nouveau.',
  'key.storage.fix.notPersistent': () =>
    'Utilisez une collection du trousseau enregistrée sur le disque (le trousseau de connexion, déverrouillé à la connexion), puis enregistrez à nouveau la clé.',
  'key.storage.sessionOnly': () =>
    'Le trousseau du système fonctionne, mais cette clé a été enregistrée pour cette session seulement : elle sera demandée à nouveau après un redémarrage.',
  'key.storage.fix.sessionOnly': () => 'Enregistrez à nouveau la clé en choisissant le trousseau.',
  'key.storage.kept': () => 'La clé est dans le trousseau du système, qui la garde d’un redémarrage à l’autre.',
  'key.storage.ready': () => 'Le trousseau du système est utilisé et garde les secrets d’un redémarrage à l’autre.',
  'key.noKey': () => 'aucune clé d’enregistrement n’est enregistrée dans Marketdesk',
  'key.answers.failed': (p: P<'at' | 'cause' | 'last'>) =>
    `La dernière tentative (${p.at}) n’a pas pu joindre GLPI Network (${p.cause}) ; ${p.last ? `la dernière réponse date du ${p.last}` : 'GLPI Network n’a jamais répondu pour cette clé'}.`,
  'key.answers.ok': (p: P<'at' | 'message'>) =>
    `GLPI Network a répondu le ${p.at}${p.message ? ` : « ${p.message} »` : ''}.`,
  'key.answers.none': () => 'GLPI Network n’a pas encore répondu pour cette clé.',
  'key.verdict.invalid': (p: P<'when' | 'masked' | 'message'>) =>
    `Clé invalide : GLPI Network a répondu ${p.when ? `le ${p.when}` : 'lors de sa dernière réponse'} qu’il ne reconnaît pas ${p.masked || 'cette clé'}${p.message ? ` (« ${p.message} »)` : ''}.`,
  'key.verdict.fix.invalid': () => `${PASTE_AGAIN} Passez ce que vous collez aux vérifications du texte de la clé.`,
  'key.verdict.terminated': (p: P<'subscription' | 'ended'>) =>
    `Abonnement terminé : GLPI Network reconnaît la clé, mais l’abonnement${p.subscription ? ` ${p.subscription}` : ''} n’est pas en cours${p.ended ? ` (terminé le ${p.ended})` : ''}. Les greffons qui demandent une offre ne sont pas disponibles.`,
  'key.verdict.fix.terminated': () =>
    'Renouvelez l’abonnement GLPI Network (votre compte GLPI Network ou votre partenaire), puis synchronisez.',
  'key.verdict.unreachableValid': (p: P<'when' | 'since' | 'cause' | 'error'>) =>
    `Valide, mais cette machine ne peut pas joindre GLPI Network : la clé était valide le ${p.when}, et GLPI Network est injoignable d’ici ${p.since ? `depuis le ${p.since}` : 'depuis peu'}${p.cause ? ` (${p.cause} : ${p.error})` : ''}.`,
  'key.verdict.unreachableTerminated': (p: P<'when' | 'ended' | 'since' | 'cause' | 'error'>) =>
    `Abonnement terminé à la dernière réponse (${p.when})${p.ended ? ` (terminé le ${p.ended})` : ''}, et cette machine ne peut pas joindre GLPI Network ${p.since ? `depuis le ${p.since}` : 'depuis peu'}${p.cause ? ` (${p.cause} : ${p.error})` : ''}.`,
  'key.verdict.unreachableUnknown': (p: P<'when' | 'since' | 'cause' | 'error' | 'message'>) =>
    `Cette machine ne peut pas joindre GLPI Network ${p.since ? `depuis le ${p.since}` : 'depuis peu'}${p.cause ? ` (${p.cause} : ${p.error})` : ''} ; la dernière réponse (${p.when}) disait « ${p.message || 'rien'} ».`,
  'key.verdict.neverReached': (p: P<'since' | 'cause' | 'error'>) =>
    `Inconnu : cette machine n’a jamais joint GLPI Network pour cette clé (injoignable ${p.since ? `depuis le ${p.since}` : 'depuis peu'}${p.cause ? ` : ${p.cause} : ${p.error}` : ''}), on ne sait donc pas si la clé est valide.`,
  'key.verdict.fix.unreachable': (p: P<'before'>) =>
    `${p.before ? `${p.before} ` : ''}Lancez les vérifications réseau pour trouver l’étape en échec.`,
  'key.verdict.valid': (p: P<'masked' | 'when' | 'subscription' | 'until'>) =>
    `Valide ici : GLPI Network a reconnu ${p.masked || 'la clé'} ${p.when ? `le ${p.when}` : 'lors de sa dernière réponse'}${p.subscription ? ` (${p.subscription}${p.until ? ` jusqu’au ${p.until}` : ''})` : ''}. ${SERVER_SUSPECTS}`,

  'instance.root.unrecognised': (p: P<'root' | 'problem' | 'error'>) => rootProblem(p),
  'instance.root.fix.choose': () =>
    'Choisissez le dossier racine de GLPI : celui qui contient inc/ (ou src/ pour GLPI 11), plugins/ et marketplace/.',
  'instance.notRecognised': () => 'la racine de GLPI n’a pas été reconnue',
  'instance.root.versionUnknown': (p: P<'layout' | 'source'>) =>
    `Un dossier GLPI${p.layout ? ` (organisation ${p.layout})` : ''}, mais sa version est inconnue : ${p.source}.`,
  'instance.root.fix.incomplete': () =>
    'Vérifiez que les fichiers de GLPI sont complets et lisibles (une mise à jour interrompue laisse une arborescence partielle).',
  'instance.root.unsupported': (p: P<'version' | 'source'>) =>
    `GLPI ${p.version} (d’après ${p.source}) n’est pas une branche prise en charge (9.5, 10.0, 11).`,
  'instance.root.mixed': (p: P<'version' | 'source' | 'file'>) =>
    `GLPI ${p.version} (d’après ${p.source}), mais ${p.file} dit autre chose : des fichiers de deux versions sont mélangés.`,
  'instance.root.fix.mixed': () =>
    'Terminez ou refaites la mise à jour : décompressez toute la version par-dessus l’arborescence et supprimez les restes de l’ancienne.',
  'instance.root.ok': (p: P<'version' | 'source'>) => `GLPI ${p.version} (d’après ${p.source}).`,
  'instance.config.unknown': () =>
    'GLPI_CONFIG_DIR est défini d’une façon que seul PHP peut évaluer : le dossier de configuration est donc inconnu.',
  'instance.config.fix.unknown': () =>
    "Écrivez GLPI_CONFIG_DIR comme une simple chaîne (define('GLPI_CONFIG_DIR', '/etc/glpi');) dans inc/downstream.php ou config/local_define.php, ou vérifiez le dossier à la main.",
  'instance.config.unknownWhy': () => 'le dossier de configuration est inconnu',
  'instance.config.notFolder': (p: P<'dir' | 'how' | 'what' | 'error'>) =>
    `Le dossier de configuration ${p.dir} (${p.how}) ${notAFolder(p)}.`,
  'instance.config.notFolderWhy': (p: P<'dir' | 'what' | 'error'>) =>
    `le dossier de configuration ${p.dir} ${notAFolder(p)}`,
  'instance.config.fix.define': (p: P<'file'>) =>
    `Corrigez GLPI_CONFIG_DIR dans ${p.file}, ou restaurez depuis une sauvegarde le dossier qu’il désigne (il contient config_db.php et glpicrypt.key).`,
  'instance.config.fix.restore': (p: P<'dir'>) =>
    `Restaurez ${p.dir} depuis une sauvegarde : il contient config_db.php et glpicrypt.key.`,
  'instance.config.denied': (p: P<'dir' | 'how' | 'reason'>) =>
    `Le dossier de configuration ${p.dir} (${p.how}) n’est pas lisible par le serveur web : ${p.reason}.`,
  'instance.config.unknownAccess': (p: P<'dir' | 'how' | 'reason'>) =>
    `Le dossier de configuration ${p.dir} (${p.how}) existe, mais ${p.reason}.`,
  'instance.config.ok': (p: P<'dir' | 'how' | 'web' | 'verdict'>) =>
    `${p.dir} (${p.how}), lisible${p.verdict === 'unknown' ? ' par Marketdesk (l’utilisateur du serveur web est inconnu)' : ` par ${webUser(p)}`}.`,
  'instance.fix.readAccess': (p: P<'owner' | 'path' | 'quoted' | 'rhel' | 'mode' | 'config' | 'posix'>) =>
    readAccess(p),
  'instance.configDb.ok': (p: P<'path'>) => `${p.path} est présent : GLPI est installé.`,
  'instance.configDb.missing': (p: P<'path'>) =>
    `${p.path} est absent : GLPI n’est pas encore installé, ou ce n’est pas le dossier de configuration qu’utilise GLPI.`,
  'instance.configDb.fix.missing': () =>
    'Terminez l’installation de GLPI (son installateur web ou sa console), ou faites pointer GLPI_CONFIG_DIR vers le dossier qui contient config_db.php.',
  'instance.file.error': (p: P<'path' | 'error'>) => `${p.path} ne peut pas être examiné : ${p.error}.`,
  'instance.file.notFile': (p: P<'path'>) => `${p.path} n’est pas un fichier ordinaire.`,
  'instance.file.notFolder': (p: P<'path'>) => `${p.path} n’est pas un dossier.`,
  'instance.plugins.ok': (p: P<'dir'>) => `${p.dir} est présent.`,
  'instance.plugins.missing': (p: P<'dir'>) =>
    `${p.dir} n’existe pas : les versions de GLPI le fournissent (les greffons installés à la main y vont).`,
  'instance.plugins.fix.create': (p: P<'dir'>) => `Créez ${p.dir}.`,
  'instance.network.unknown': (p: P<'source'>) =>
    `L’adresse GLPI Network qu’appelle cette instance est définie dans ${p.source} par du code PHP que Marketdesk n’exécute pas : elle ne peut pas être comparée à celle de ce profil.`,
  'instance.network.ok': (p: P<'api' | 'source'>) =>
    `Cette instance appelle ${p.api}${p.source ? ` (défini dans ${p.source})` : ''}, le même GLPI Network que ce profil.`,
  'instance.network.differs': (p: P<'api' | 'profile' | 'source'>) =>
    `Cette instance appelle ${p.api}${p.source ? ` (défini dans ${p.source})` : ' (valeur par défaut de GLPI)'}, mais ce profil utilise ${p.profile} : le catalogue et l’enregistrement que vérifie Marketdesk ne sont pas ceux que voit GLPI.`,
  'instance.network.fix.override': (p: P<'services' | 'api' | 'constant' | 'file' | 'expected'>) =>
    `Utilisez la même adresse des deux côtés : dans les Réglages de Marketdesk (Adresse de GLPI Network), mettez l’URL des services à ${p.services || `l’adresse des services derrière ${p.api}`} ; ou, dans ${p.file}, mettez ${p.constant} à ${p.expected}, ou supprimez-la si ce profil utilise l’adresse par défaut de GLPI.`,
  'instance.network.fix.default': (p: P<'default' | 'services' | 'file'>) =>
    `Utilisez la même adresse des deux côtés : dans les Réglages de Marketdesk (Adresse de GLPI Network), remettez l’URL des services à ${p.default} ; ou, pour que cette instance utilise ${p.services}, ajoutez define('GLPI_NETWORK_SERVICES', '${p.services}'); dans ${p.file}.`,
  'instance.marketplace.notFolder': (p: P<'dir' | 'what' | 'error'>) =>
    `Le dossier marketplace ${p.dir} ${notAFolder(p)} : les greffons ne peuvent pas être installés depuis la marketplace.`,
  'instance.marketplace.noSelf': (p: P<'dir' | 'reason' | 'denied'>) =>
    `Marketdesk ne peut pas écrire dans le dossier marketplace ${p.dir} : il ne peut donc pas y installer ni mettre à jour de greffons.${p.denied ? ` Le serveur web non plus : ${p.reason}.` : ''}`,
  'instance.marketplace.webDenied': (p: P<'dir' | 'reason'>) =>
    `Marketdesk peut écrire dans ${p.dir}, mais ${p.reason} : la page marketplace de GLPI elle-même ne peut pas installer ni mettre à jour de greffons.`,
  'instance.marketplace.ok': (p: P<'dir' | 'web' | 'verdict'>) =>
    `${p.dir} est accessible en écriture par Marketdesk${p.verdict === 'ok' ? ` et ${webUser(p)}` : ' (l’utilisateur du serveur web est inconnu)'}.`,
  'instance.key.missing': (p: P<'path' | 'legacy'>) =>
    `${p.path} est absent : GLPI ne peut pas déchiffrer les mots de passe qu’il a enregistrés (clé d’enregistrement comprise), et GLPI Network dira donc que l’enregistrement n’est pas valide.${legacyNote(p)}`,
  'instance.key.notFile': (p: P<'path' | 'legacy'>) => `${p.path} n’est pas un fichier ordinaire.${legacyNote(p)}`,
  'instance.key.fix.openDir': (p: P<'dir' | 'web'>) =>
    `Vérifiez les droits de ${p.dir} (${webUser(p)} doit pouvoir l’ouvrir).`,
  'instance.key.empty': (p: P<'path' | 'legacy'>) =>
    `${p.path} est vide : GLPI ne peut pas déchiffrer les mots de passe qu’il a enregistrés (clé d’enregistrement comprise).${legacyNote(p)}`,
  'instance.key.wrongSize': (p: P<'path' | 'size' | 'bytes' | 'hint' | 'quoted' | 'legacy'>) =>
    `${p.path} fait ${p.size} octets ; GLPI 9.5+ demande exactement ${p.bytes} octets bruts (une clé sodium) : il refuse donc celle-ci.${sizeHint(p)}${legacyNote(p)}`,
  'instance.key.denied': (p: P<'path' | 'bytes' | 'reason'>) =>
    `${p.path} fait ${p.bytes} octets mais n’est pas lisible par le serveur web : ${p.reason}. GLPI ne peut pas déchiffrer les mots de passe qu’il a enregistrés (clé d’enregistrement comprise).`,
  'instance.key.unknownAccess': (p: P<'path' | 'bytes' | 'reason'>) =>
    `${p.path} fait ${p.bytes} octets, mais ${p.reason}.`,
  'instance.key.fix.makeReadable': (p: P<'web' | 'owner' | 'path' | 'quoted' | 'rhel' | 'mode' | 'config' | 'posix'>) =>
    `Assurez-vous que ${webUser(p)} peut le lire : ${readAccess(p)}.`,
  'instance.key.everyone': (p: P<'path' | 'bytes' | 'reader' | 'web' | 'mode'>) =>
    `${p.path} fait ${p.bytes} octets et est lisible par ${p.reader === 'web' ? webUser(p) : 'Marketdesk'}, mais aussi par tous les utilisateurs locaux (mode ${p.mode}) : quiconque l’a avec une copie de la base peut déchiffrer les mots de passe enregistrés par GLPI.`,
  'instance.key.ok': (p: P<'path' | 'bytes' | 'reader' | 'web'>) =>
    `${p.path} : ${p.bytes} octets, ${p.reader === 'web' ? `lisible par ${webUser(p)}` : 'lisible par Marketdesk (l’utilisateur du serveur web est inconnu)'}.`,
  'instance.key.predates': (p: P<'version'>) => `GLPI ${p.version} est antérieur à glpicrypt.key (GLPI 9.5)`,
  'instance.key.fix.restore': (
    p: P<
      | 'owner'
      | 'path'
      | 'quoted'
      | 'rhel'
      | 'mode'
      | 'config'
      | 'posix'
      | 'aside'
      | 'broken'
      | 'root'
      | 'sudo'
      | 'console'
    >,
  ) =>
    `Restaurez glpicrypt.key depuis la sauvegarde faite avec cette base de données (à privilégier : sans la clé d’origine, les mots de passe que GLPI a enregistrés chiffrés ne peuvent pas être déchiffrés).${p.posix ? ` Ensuite : ${readAccess(p)}.` : ''} En dernier recours, sans sauvegarde : ${p.aside ? `mettez le fichier endommagé de côté (mv ${p.quoted} ${p.broken}), car la commande s’arrête si elle ne peut pas lire la clé actuelle ; puis ` : ''}cd ${p.root} && ${p.sudo}php bin/console ${changeKey(p)}. Elle écrit une nouvelle clé ; tous les secrets que GLPI a enregistrés avec l’ancienne sont perdus et doivent être saisis à nouveau : ${SECRETS_TO_REENTER}.`,
  'instance.marketplace.fix.create': (p: P<'posix' | 'dir' | 'quoted' | 'owner' | 'rhel' | 'override' | 'web'>) =>
    p.posix
      ? `mkdir ${p.quoted} && chown ${p.owner} ${p.quoted}${p.rhel ? RHEL_NOTE : ''} && chmod 755 ${p.quoted}, ${marketplaceDefine(p)}.`
      : `Créez ${p.dir} et laissez le compte du serveur web y écrire, ${marketplaceDefine(p)}.`,
  'instance.marketplace.fix.write': (
    p: P<'posix' | 'dir' | 'quoted' | 'owner' | 'rhel' | 'override' | 'web' | 'self' | 'sudo'>,
  ) =>
    `${p.posix ? `chown -R ${p.owner} ${p.quoted}${p.rhel ? RHEL_NOTE : ''} et chmod -R u+rwX ${p.quoted}, ${marketplaceDefine(p)}` : `Laissez le compte du serveur web écrire dans ${p.dir}, ${marketplaceDefine(p)}`}.${p.self ? ` Marketdesk tourne en tant que ${p.self} : lancez-le en tant que ${p.web || 'l’utilisateur du serveur web'} (${p.sudo}marketdesk …) ou en root pour installer des greffons.` : ''}`,
  'instance.plugins.fix.mkdir': (p: P<'quoted' | 'owner' | 'rhel'>) =>
    `mkdir ${p.quoted} && chown ${p.owner} ${p.quoted}${p.rhel ? RHEL_NOTE : ''}`,
  'php.notAsked': () => 'les vérifications de PHP n’ont pas été demandées',
  'php.notInstalled': (p: P<'where'>) =>
    `php n’est pas installé sur ${p.where === 'the server' ? 'le serveur' : p.where || 'cette machine'}`,
  'php.cannotRun': (p: P<'error'>) => `php n’a pas pu être lancé : ${p.error}`,
  'php.cannotRunWhy': () => 'php n’a pas pu être lancé',
  'php.fix.cannotRun': () => 'Vérifiez que la commande php fonctionne dans un terminal (php -v).',
  'php.notAVersion': (p: P<'reported'>) => `php a répondu « ${p.reported} », qui n’est pas une version de PHP.`,
  'php.glpiUnknown': (p: P<'version'>) =>
    `PHP ${p.version} ; la version de GLPI est inconnue, son exigence n’a donc pas été vérifiée.`,
  'php.tooOld': (p: P<'version' | 'glpi' | 'min'>) =>
    `PHP ${p.version} est trop ancien pour ${p.glpi}, qui demande PHP ${p.min} ou plus récent.`,
  'php.tooRecent': (p: P<'version' | 'glpi' | 'max'>) =>
    `PHP ${p.version} est trop récent pour ${p.glpi}, qui refuse PHP ${p.max} et au-delà.`,
  'php.suits': (p: P<'version' | 'glpi' | 'min' | 'max'>) =>
    `PHP ${p.version} convient à ${p.glpi} (PHP ${p.min} ou plus récent${p.max ? `, avant ${p.max}` : ''}).`,
  'php.extensionsUnlisted': (p: P<'error'>) => `les extensions de php n’ont pas pu être listées : ${p.error}`,
  'php.extensionsOk': (p: P<'list'>) => `Toutes les extensions dont la marketplace a besoin sont chargées (${p.list}).`,
  'php.extensionsMissing': (p: P<'count' | 'list'>) =>
    `${p.count === '1' ? 'Extension PHP manquante' : 'Extensions PHP manquantes'} : ${p.list}.`,
  'php.fix.extensions': (p: P<'debian' | 'rhel'>) =>
    `Debian/Ubuntu : ${p.debian}. Dérivés de RHEL : dnf install ${p.rhel}. Puis redémarrez le serveur web ou php-fpm.`,
  'php.fix.upgrade': (p: P<'min' | 'max'>) => phpUpgrade(p),
  'php.fix.tooRecent': (p: P<'version' | 'min' | 'max'>) =>
    `Mettez à jour GLPI vers une version qui prend en charge PHP ${p.version}, ou faites tourner GLPI avec un PHP plus ancien. ${phpUpgrade(p)}`,
  'network.notRun': () => 'Non exécutée : une étape précédente a échoué.',
  'network.unexpected': (p: PT<'error'>) => timed(p, `Échec inattendu : ${p.error}`),
  'network.fix.unexpected': () =>
    'Ce n’est pas un problème réseau que Marketdesk connaît ; envoyez le journal à votre administrateur.',
  'network.route.direct': (p: PT<'target'>) => timed(p, `Connexion directe à ${p.target} (sans proxy).`),
  'network.route.proxy': (p: PT<'tls' | 'proxy' | 'tunnel'>) =>
    timed(
      p,
      `Par le proxy ${p.tls ? 'HTTPS' : 'HTTP'} ${p.proxy}${p.tunnel ? `, avec un tunnel CONNECT vers ${p.tunnel}` : ''}.`,
    ),
  'network.route.notUrl': (p: PT<'url'>) => timed(p, `« ${p.url} » n’est pas une URL.`),
  'network.route.fix.fullAddress': () => 'Saisissez une adresse complète, comme https://services.glpi-network.com.',
  'network.route.plainHttp': (p: PT<'origin'>) =>
    timed(
      p,
      `${p.origin} est en http simple : Marketdesk ne parle à GLPI Network qu’en https (http simple uniquement sur l’adresse de bouclage).`,
    ),
  'network.route.fix.useHttps': (p: P<'address'>) => `Utilisez https://${p.address} à la place.`,
  'network.route.scheme': (p: PT<'protocol'>) =>
    timed(
      p,
      `Les URL ${p.protocol} ne peuvent pas être vérifiées ; seulement https (et http sur l’adresse de bouclage).`,
    ),
  'network.route.fix.enterHttps': () => 'Saisissez une adresse https://.',
  'network.route.proxyNotUrl': (p: Timed) => timed(p, 'L’adresse du proxy n’est pas une URL.'),
  'network.route.fix.proxyUrl': () => `Indiquez le proxy sous la forme http://hôte:port dans ${PROXY_SETTINGS}.`,
  'network.route.proxyScheme': (p: PT<'proxy' | 'scheme'>) =>
    timed(
      p,
      `Le proxy ${p.proxy} utilise ${p.scheme} ; seuls les proxys HTTP (http:// ou https://) sont pris en charge.`,
    ),
  'network.route.fix.proxyScheme': () =>
    `Indiquez le proxy sous la forme http://hôte:port dans ${PROXY_SETTINGS} (le HTTPS vers la cible passe quand même par un tunnel CONNECT, de bout en bout).`,
  'network.dns.ip': (p: PT<'host' | 'proxy'>) =>
    timed(
      p,
      `${p.proxy ? `L’adresse du proxy ${p.host}` : p.host} est une adresse IP : aucune résolution DNS n’est nécessaire.`,
    ),
  'network.dns.ok': (p: PT<'host' | 'proxy' | 'addresses'>) =>
    timed(p, `${p.proxy ? `Le nom du proxy ${p.host}` : `Le nom ${p.host}`} se résout en ${p.addresses}.`),
  'network.dns.timeout': (p: PT<'host' | 'limit' | 'total'>) =>
    timed(p, `Aucune réponse DNS pour ${p.host} en ${limitText(p)}.`),
  'network.dns.notFound': (p: PT<'host' | 'code'>) =>
    timed(
      p,
      `${p.host} n’a pas pu être résolu : le nom n’existe pas, ou le serveur DNS de cette machine ne le connaît pas (${p.code}).`,
    ),
  'network.dns.again': (p: PT<'host'>) =>
    timed(p, `Le serveur DNS n’a pas répondu pour ${p.host} (EAI_AGAIN : échec temporaire).`),
  'network.dns.failed': (p: PT<'host' | 'error'>) => timed(p, `La résolution de ${p.host} a échoué (${p.error}).`),
  'network.dns.fix.proxy': (p: P<'host'>) =>
    `Vérifiez le nom d’hôte du proxy « ${p.host} » dans ${PROXY_SETTINGS}, et les réglages DNS de cette machine (essayez \`nslookup ${p.host}\`).`,
  'network.dns.fix.direct': (p: P<'host'>) =>
    `Vérifiez les réglages DNS de cette machine et qu’elle résout ${p.host} (essayez \`nslookup ${p.host}\`). Si votre réseau n’accède à Internet que par un proxy, indiquez-le dans ${PROXY_SETTINGS}.`,
  'network.tcp.ok': (p: PT<'target' | 'address'>) => timed(p, `Connecté à ${p.target} (${p.address}).`),
  'network.tcp.timeout': (p: PT<'hop' | 'proxy' | 'limit' | 'total'>) =>
    timed(
      p,
      `Aucune réponse de ${hop(p)} en ${limitText(p)} : un pare-feu rejette probablement le trafic sans rien dire.`,
    ),
  'network.tcp.refused': (p: PT<'hop' | 'proxy' | 'port'>) =>
    timed(
      p,
      `La connexion à ${hop(p)} a été refusée (ECONNREFUSED) : rien n’accepte de connexions sur le port ${p.port}, ou un pare-feu les rejette.`,
    ),
  'network.tcp.unreachable': (p: PT<'hop' | 'proxy' | 'code'>) =>
    timed(p, `Aucune route réseau vers ${hop(p)} (${p.code}).`),
  'network.tcp.failed': (p: PT<'hop' | 'proxy' | 'error'>) =>
    timed(p, `La connexion à ${hop(p)} a échoué (${p.error}).`),
  'network.tcp.fix.proxy': (p: P<'proxy' | 'port' | 'host' | 'addresses'>) =>
    `Vérifiez l’adresse et le port du proxy dans ${PROXY_SETTINGS} (actuellement ${p.proxy}), et ${firewall(p)}.`,
  'network.tcp.fix.unreachable': (p: P<'port' | 'host' | 'addresses'>) =>
    `Vérifiez la connexion réseau de cette machine, puis ${firewall(p)} ; si votre réseau exige un proxy, indiquez-le dans ${PROXY_SETTINGS}.`,
  'network.fix.firewallOrProxy': (p: P<'port' | 'host' | 'addresses'>) =>
    `${capitalize(firewall(p))}, ou, si votre réseau exige un proxy, indiquez-le dans ${PROXY_SETTINGS}.`,
  'network.proxy.plain': (p: PT<'proxy' | 'address'>) =>
    timed(p, `Connecté au proxy ${p.proxy} (${p.address}) ; le http simple le traverse sans tunnel.`),
  'network.proxy.tunnel': (p: PT<'proxy' | 'address' | 'target'>) =>
    timed(p, `Connecté au proxy ${p.proxy} (${p.address}) ; il a ouvert un tunnel vers ${p.target}.`),
  'network.proxy.authRejected': (p: PT<'proxy' | 'scheme' | 'tunnel' | 'target'>) =>
    timed(
      p,
      `Authentification au proxy requise : le proxy ${p.proxy} a refusé les identifiants fournis (HTTP 407${p.scheme ? `, il demande ${p.scheme}` : ''}) ${p.tunnel ? 'pour le tunnel vers' : 'pour'} ${p.target}.`,
    ),
  'network.proxy.authRequired': (p: PT<'proxy' | 'scheme' | 'tunnel' | 'target'>) =>
    timed(
      p,
      `Authentification au proxy requise : le proxy ${p.proxy} a répondu HTTP 407${p.scheme ? ` (il demande ${p.scheme})` : ''} ${p.tunnel ? 'à la demande de tunnel vers' : 'pour'} ${p.target}.`,
    ),
  'network.proxy.fix.checkCredentials': (p: P<'other'>) =>
    `Vérifiez le nom d’utilisateur et le mot de passe du proxy dans ${PROXY_SETTINGS}${p.other ? ` ; le proxy demande ${p.other}, demandez à votre service informatique s’il accepte aussi Basic` : ''}.`,
  'network.proxy.fix.enterCredentials': (p: P<'other'>) =>
    `Saisissez le nom d’utilisateur et le mot de passe du proxy dans ${PROXY_SETTINGS}${p.other ? ` (le proxy demande ${p.other} ; demandez à votre service informatique s’il accepte aussi Basic)` : ''}.`,
  'network.proxyTls.timeout': (p: PT<'proxy' | 'limit' | 'total'>) =>
    timed(p, `La connexion TLS au proxy HTTPS ${p.proxy} n’a pas abouti en ${limitText(p)}.`),
  'network.proxyTls.fix.plain': (p: P<'proxy'>) =>
    `Vérifiez l’adresse du proxy dans ${PROXY_SETTINGS} : si le proxy parle HTTP simple, écrivez-la http://${p.proxy}.`,
  'network.proxyTls.untrusted': (p: PT<'proxy' | 'code'>) =>
    timed(
      p,
      `La connexion TLS au proxy HTTPS ${p.proxy} a échoué : son certificat n’est pas reconnu comme fiable (${p.code}).`,
    ),
  'network.proxyTls.fix.trust': (p: P<'proxy' | 'platform'>) =>
    `${trustRootSteps({ root: '', platform: p.platform })} Si le proxy parle plutôt HTTP simple, écrivez-le http://${p.proxy} dans ${PROXY_SETTINGS}.`,
  'network.proxyTls.failed': (p: PT<'proxy' | 'error'>) =>
    timed(p, `La connexion TLS au proxy HTTPS ${p.proxy} a échoué (${p.error}).`),
  'network.badExtraCa': (p: PT<'error'>) =>
    timed(p, `Un certificat supplémentaire n’est pas un certificat PEM valide : ${p.error}.`),
  'network.fix.badExtraCa': () =>
    `Corrigez-le ou retirez-le dans ${EXTRA_CERTS} : chacun doit être un certificat PEM (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).`,
  'network.tunnel.unreachable': (p: PT<'proxy' | 'target' | 'status'>) =>
    timed(p, `Le proxy ${p.proxy} n’a pas pu joindre ${p.target} (${p.status}).`),
  'network.tunnel.fix.unreachable': (p: P<'host' | 'port'>) =>
    `Le proxy lui-même ne peut pas résoudre ou joindre ${p.host} : demandez à votre service informatique d’autoriser le proxy à se connecter à ${p.host} sur le port TCP ${p.port}.`,
  'network.tunnel.refused': (p: PT<'proxy' | 'target' | 'status'>) =>
    timed(p, `Le proxy ${p.proxy} a refusé le tunnel vers ${p.target} (${p.status}).`),
  'network.tunnel.fix.refused': (p: P<'proxy' | 'host' | 'port'>) =>
    `Demandez à votre service informatique d’autoriser les tunnels HTTPS (CONNECT) par le proxy ${p.proxy} vers ${p.host}:${p.port}, ou vérifiez le proxy dans ${PROXY_SETTINGS}.`,
  'network.tunnel.timeout': (p: PT<'proxy' | 'target' | 'limit' | 'total'>) =>
    timed(p, `Le proxy ${p.proxy} n’a pas répondu à la demande de tunnel vers ${p.target} en ${limitText(p)}.`),
  'network.tunnel.fix.timeout': (p: P<'proxy' | 'host' | 'port'>) =>
    `Vérifiez que ${p.proxy} est bien un proxy HTTP (son adresse et son port sont dans ${PROXY_SETTINGS}), et demandez à votre service informatique s’il autorise CONNECT vers ${p.host}:${p.port}.`,
  'network.tunnel.notHttp': (p: PT<'proxy'>) =>
    timed(
      p,
      `${p.proxy} a répondu à la demande de tunnel par autre chose que du HTTP : ce n’est probablement pas un proxy HTTP.`,
    ),
  'network.fix.proxyAddress': () => `Vérifiez l’adresse et le port du proxy dans ${PROXY_SETTINGS}.`,
  'network.tunnel.closed': (p: PT<'proxy' | 'target' | 'error'>) =>
    timed(
      p,
      `Le proxy ${p.proxy} a fermé la connexion au lieu de répondre à la demande de tunnel vers ${p.target} (${p.error}).`,
    ),
  'network.tunnel.fix.closed': (p: P<'host' | 'port'>) =>
    `Vérifiez l’adresse et le port du proxy dans ${PROXY_SETTINGS}, et demandez à votre service informatique s’il autorise CONNECT vers ${p.host}:${p.port}.`,
  'network.tls.plainHttp': (p: P<'host'>) => `http simple vers l’adresse de bouclage ${p.host} : pas de TLS.`,
  'network.tls.inspected': (p: PT<'host' | 'root'>) =>
    timed(
      p,
      `Inspection TLS détectée : le certificat de ${p.host} a été émis par ${p.root}, une racine approuvée localement, pas par une autorité publique.`,
    ),
  'network.tls.fix.inspectedExtra': (p: P<'root'>) =>
    `Rien à faire si votre service informatique inspecte le HTTPS volontairement : Marketdesk fait confiance à ${p.root} parce qu’il figure dans ${EXTRA_CERTS}. Si vous ne vous y attendiez pas, retirez-le de là et interrogez votre service informatique.`,
  'network.tls.fix.inspectedLocal': (p: P<'root'>) =>
    `Rien à faire si votre service informatique inspecte le HTTPS volontairement (${p.root} est approuvé sur cette machine). Si vous ne vous y attendiez pas, interrogez votre service informatique.`,
  'network.tls.ok': (p: PT<'protocol' | 'host' | 'subject' | 'issuer' | 'until' | 'root'>) =>
    timed(
      p,
      `${p.protocol} avec ${p.host} : certificat pour ${p.subject}, émis par ${p.issuer}, valable jusqu’au ${p.until}, chaîne qui aboutit à la racine publique ${p.root}.`,
    ),
  'network.tls.selfSigned': (p: PT<'host' | 'subject'>) =>
    timed(
      p,
      `${p.host} a présenté un certificat auto-signé${p.subject ? ` (${p.subject})` : ''} (DEPTH_ZERO_SELF_SIGNED_CERT) : aucune autorité ne s’en porte garante.`,
    ),
  'network.tls.fix.selfSigned': (p: P<'host' | 'platform'>) =>
    `Si ${p.host} est l’un de vos serveurs, faites confiance à son certificat (enregistré sous root.crt) : ${trustRootFix(p)} ; ajoutez-le ensuite dans ${EXTRA_CERTS}. Si ${p.host} doit être un service public, un appareil de votre réseau (un proxy, un antivirus ou un portail captif) répond à sa place : interrogez votre service informatique.`,
  'network.tls.untrustedRoot': (p: PT<'host' | 'root'>) =>
    timed(
      p,
      `Le certificat de ${p.host} remonte à la racine ${p.root}, que cette machine n’approuve pas (SELF_SIGNED_CERT_IN_CHAIN). C’est typique d’une inspection TLS par un proxy ou un antivirus avec une racine d’entreprise.`,
    ),
  'network.fix.trustRoot': (p: P<'root' | 'platform'>) => trustRootSteps(p),
  'network.tls.unknownIssuer': (p: PT<'host' | 'issuer' | 'code'>) =>
    timed(
      p,
      `Le certificat de ${p.host} a été émis par ${p.issuer}, une autorité que cette machine ne connaît pas (${p.code}).`,
    ),
  'network.tls.fix.unknownIssuer': (p: P<'host' | 'issuer' | 'platform'>) =>
    `Si votre réseau inspecte le HTTPS (un proxy ou un antivirus), c’est son autorité. ${trustRootSteps({ root: p.issuer, platform: p.platform })} Si ${p.host} est l’un de vos serveurs avec un certificat d’une autorité publique, faites-lui aussi envoyer ses certificats intermédiaires.`,
  'network.tls.expired': (p: PT<'host' | 'until' | 'now'>) =>
    timed(
      p,
      `Le certificat de ${p.host} a expiré${p.until ? ` le ${p.until}` : ''} (CERT_HAS_EXPIRED) ; l’horloge de cette machine indique ${p.now}.`,
    ),
  'network.tls.fix.expired': (p: P<'host' | 'issuer' | 'platform'>) =>
    `Vérifiez l’horloge de cette machine : si elle est fausse, corrigez-la (${clockFix(p)}). Si elle est juste, le certificat a vraiment expiré et celui qui gère ${p.host} (ou, si votre réseau inspecte le HTTPS, votre service informatique, puisque ${p.issuer} l’a émis) doit le renouveler.`,
  'network.tls.notYetValid': (p: PT<'host' | 'from' | 'now'>) =>
    timed(
      p,
      `Le certificat de ${p.host} n’est valable qu’à partir du ${p.from || 'une date ultérieure'} (CERT_NOT_YET_VALID) ; l’horloge de cette machine indique ${p.now}.`,
    ),
  'network.tls.fix.notYetValid': (p: P<'host' | 'platform'>) =>
    `Vérifiez l’horloge de cette machine : elle retarde probablement (${clockFix(p)}). Si elle est juste, celui qui gère ${p.host} a installé un certificat qui n’est pas encore valable.`,
  'network.tls.otherName': (p: PT<'host' | 'names'>) =>
    timed(
      p,
      `Le certificat présenté pour ${p.host} est établi pour un autre nom : ${p.names || 'un autre hôte'} (ERR_TLS_CERT_ALTNAME_INVALID).`,
    ),
  'network.tls.fix.otherName': (p: P<'host' | 'origin'>) =>
    `Vérifiez l’adresse (${p.origin}). Si elle est juste, un appareil de votre réseau (un proxy, un portail captif ou un filtre DNS) répond à la place de ${p.host} : demandez à votre service informatique quel appareil présente ce certificat.`,
  'network.tls.timeout': (p: PT<'host' | 'limit' | 'total' | 'port'>) =>
    timed(
      p,
      `Aucune négociation TLS avec ${p.host} en ${limitText(p)} : quelque chose accepte la connexion mais ne mène pas TLS à terme (un pare-feu ou un proxy qui la retient, ou un serveur qui ne parle pas TLS sur le port ${p.port}).`,
    ),
  'network.tls.fix.timeout': (p: P<'port' | 'host' | 'origin'>) =>
    `${capitalize(firewall({ ...p, addresses: '' }))}, ou, si votre réseau exige un proxy, indiquez-le dans ${PROXY_SETTINGS}. Vérifiez que ${p.origin} est la bonne adresse.`,
  'network.tls.refused': (p: PT<'host' | 'code'>) => timed(p, `Le certificat de ${p.host} a été refusé (${p.code}).`),
  'network.tls.fix.refused': (p: P<'host' | 'issuer' | 'platform'>) =>
    `Si votre réseau inspecte le HTTPS : ${trustRootSteps({ root: p.issuer, platform: p.platform })} Sinon, interrogez celui qui gère ${p.host}.`,
  'network.tls.failed': (p: PT<'host' | 'error'>) =>
    timed(p, `La négociation TLS avec ${p.host} a échoué (${p.error}).`),
  'network.tls.fix.failed': (p: P<'host' | 'port'>) =>
    `Un appareil entre cette machine et ${p.host} (un pare-feu, un proxy ou un antivirus) coupe peut-être le HTTPS : ${firewall({ ...p, addresses: '' })}, ou indiquez le proxy qu’exige votre réseau dans ${PROXY_SETTINGS}.`,
  'network.http.status': (p: PT<'target' | 'status'>) =>
    timed(
      p,
      `${p.target} a répondu HTTP ${p.status} : le chemin réseau fonctionne, mais ce n’est pas une réponse de succès.`,
    ),
  'network.http.fix.serverError': (p: P<'origin'>) =>
    `Le serveur ou un appareil devant lui signale un problème. Réessayez dans quelques minutes ; si cela persiste, ouvrez ${p.origin} dans un navigateur sur cette machine pour voir ce qui répond.`,
  'network.http.fix.clientError': (p: P<'url' | 'host'>) =>
    `Vérifiez l’URL (${p.url}) et, pour 401/403, la clé d’enregistrement. Si un proxy ou un portail captif répond à la place de ${p.host}, interrogez votre service informatique.`,
  'network.http.ok': (p: PT<'target' | 'status'>) => timed(p, `${p.target} a répondu HTTP ${p.status}.`),
  'network.http.timeout': (p: PT<'target' | 'proxy' | 'limit' | 'total'>) =>
    timed(p, `${p.target} a accepté la connexion${via(p)} mais n’a envoyé aucune réponse en ${limitText(p)}.`),
  'network.http.fix.timeout': (p: P<'host' | 'port'>) =>
    `Un appareil sur le chemin (un pare-feu, un proxy ou un antivirus) retient peut-être la requête, ou le serveur est surchargé. Réessayez dans quelques minutes ; si cela persiste, ${firewall({ ...p, addresses: '' })} ou indiquez le proxy qu’exige votre réseau dans ${PROXY_SETTINGS}.`,
  'network.http.notHttp': (p: PT<'target' | 'proxy' | 'code'>) =>
    timed(p, `${p.target} a répondu${via(p)} par autre chose que du HTTP (${p.code}).`),
  'network.http.fix.notHttp': (p: P<'origin' | 'port'>) =>
    `Vérifiez l’adresse (${p.origin}) : un autre service répond sur le port ${p.port}.`,
  'network.http.closed': (p: PT<'target' | 'proxy' | 'error'>) =>
    timed(p, `La connexion à ${p.target}${via(p)} a été fermée avant toute réponse (${p.error}).`),
  'network.http.fix.closed': (p: P<'host' | 'port'>) =>
    `Un appareil entre cette machine et ${p.host} (un pare-feu, un proxy ou un antivirus) a coupé la connexion : ${firewall({ ...p, addresses: '' })}, ou indiquez le proxy qu’exige votre réseau dans ${PROXY_SETTINGS}.`,
  'network.clock.noDate': () => 'Le serveur n’a pas envoyé d’en-tête Date : les horloges n’ont pas pu être comparées.',
  'network.clock.badDate': () =>
    'Le serveur a envoyé un en-tête Date illisible : les horloges n’ont pas pu être comparées.',
  'network.clock.skewed': (p: PT<'skew' | 'ahead' | 'local' | 'server'>) =>
    timed(
      p,
      `L’horloge de cette machine ${p.ahead ? 'avance' : 'retarde'} de ${p.skew} sur celle du serveur (locale ${p.local}, serveur ${p.server}).`,
    ),
  'network.clock.fix': (p: P<'platform'>) =>
    `Mettez l’horloge de cette machine à l’heure : ${clockFix(p)}. Une horloge fausse fait passer des certificats valables pour expirés ou pas encore valables.`,
  'network.clock.ok': (p: PT<'skew'>) =>
    timed(
      p,
      `L’horloge de cette machine concorde avec celle du serveur (${p.skew} ; l’en-tête Date a une résolution d’une seconde).`,
    ),
  'network.howTo.clock': (p: P<'platform'>) => clockFix(p),
  'network.howTo.trustRoot': (p: P<'platform'>) => trustRootFix(p),
  'network.registration.noKey': () => 'Aucune clé d’enregistrement n’est enregistrée.',
  'network.registration.failed': (p: P<'message'>) => `GLPI Network n’a pas pu être interrogé : ${p.message}`,
  'network.registration.ok': (p: P<'state'>) =>
    `GLPI Network a répondu : la clé est ${KEY_STATES[p.state] ?? p.state}.`,
  'network.marketplace.noKey': () =>
    'Aucune clé d’enregistrement n’est enregistrée : GLPI Network ne liste les greffons qu’aux instances enregistrées.',
  'network.marketplace.ok': (p: P<'base'>) => `${p.base}/api/marketplace/plugins a répondu une page du catalogue.`,
  'network.marketplace.status': (p: P<'base' | 'status' | 'list'>) =>
    `${p.base}/api/marketplace/plugins a répondu HTTP ${p.status}${p.list ? '' : ' sans liste de greffons'}.`,
  'network.marketplace.fix.refused': () =>
    'GLPI Network refuse le catalogue à cette clé : vérifiez la clé et son abonnement (Synchroniser sur l’écran de la clé).',
  'network.marketplace.fix.intercepted': () =>
    'Quelque chose entre cette machine et GLPI Network (un proxy ou une passerelle de filtrage) répond à sa place. Autorisez l’hôte des services dans le proxy ou le pare-feu.',
  'network.archive.noArchive': () =>
    'La page de la marketplace ne nommait aucune archive : son hôte n’a donc pas pu être vérifié.',
  'network.archive.same': (p: P<'host'>) =>
    `Les archives viennent de GLPI Network lui-même (${p.host}) : vérifié ci-dessus.`,
  'network.archive.unreachable': (p: P<'host' | 'reason'>) =>
    `Les archives viennent de ${p.host}, qui ne peut pas être joint : ${p.reason}`,
  'network.archive.reachable': (p: P<'host' | 'warning'>) =>
    `Les archives viennent de ${p.host}, joignable${p.warning ? ` (${p.warning})` : ''}.`,
  'ssh.passed.dns': () => 'Le nom se résout.',
  'ssh.passed.tcp': () => 'Le port SSH répond.',
  'ssh.passed.host-key': () => 'La clé d’hôte du serveur est celle approuvée pour cette instance.',
  'ssh.passed.auth': () => 'L’utilisateur SSH est connecté.',
  'ssh.passed.sudo': () => 'sudo fonctionne.',
  'ssh.dns.ip': (p: P<'host'>) => `${p.host} est une adresse IP : aucune résolution DNS n’est nécessaire.`,
  'ssh.dns.ok': (p: P<'host' | 'addresses'>) => `${p.host} se résout en ${p.addresses}.`,
  'ssh.dns.timeout': (p: P<'host' | 'seconds'>) => `Aucune réponse DNS pour ${p.host} en ${p.seconds} s.`,
  'ssh.dns.notFound': (p: P<'host' | 'code'>) =>
    `${p.host} n’a pas pu être résolu (${p.code}) : le nom n’existe pas, ou le DNS de cet ordinateur ne le connaît pas.`,
  'ssh.dns.fix': (p: P<'host'>) =>
    `Vérifiez le nom d’hôte de l’instance (une faute de frappe, un domaine manquant) et le DNS de cet ordinateur (essayez nslookup ${p.host}), ou ajoutez à nouveau l’instance avec l’adresse IP du serveur.`,
  'ssh.tcp.ok': (p: P<'address' | 'port'>) => `Connecté à ${p.address} sur le port ${p.port}.`,
  'ssh.tcp.refused': (p: P<'host' | 'port'>) =>
    `${p.host} a refusé la connexion sur le port ${p.port} : aucun serveur SSH n’y écoute.`,
  'ssh.tcp.fix.refused': (p: P<'port'>) =>
    `Vérifiez le port de l’instance (le Port de sshd dans /etc/ssh/sshd_config sur le serveur) et que sshd y tourne : systemctl status ssh. Sinon, ${sshFirewall(p)}.`,
  'ssh.tcp.unreachable': (p: P<'host' | 'code'>) => `${p.host} est injoignable depuis cet ordinateur (${p.code}).`,
  'ssh.tcp.fix.unreachable': (p: P<'port'>) => `Vérifiez le VPN ou la route vers le serveur ; ${sshFirewall(p)}.`,
  'ssh.tcp.timeout': (p: P<'host' | 'port' | 'seconds'>) =>
    `Aucune réponse de ${p.host} sur le port ${p.port} en ${p.seconds} s : un pare-feu rejette probablement le trafic, ou le serveur est arrêté.`,
  'ssh.tcp.fix.timeout': (p: P<'host' | 'port'>) =>
    `Vérifiez que le serveur est démarré, et qu’${sshFirewall(p)} (essayez : nc -vz ${p.host} ${p.port}).`,
  'ssh.tcp.failed': (p: P<'host' | 'port' | 'code'>) =>
    `La connexion à ${p.host} sur le port ${p.port} a échoué (${p.code}).`,
  'ssh.tcp.fix.failed': (p: P<'port'>) => `Vérifiez le réseau entre cet ordinateur et le serveur ; ${sshFirewall(p)}.`,
  'ssh.hostKey.ok': (p: P<'type' | 'fingerprint' | 'remembered' | 'name'>) =>
    `Le serveur présente sa clé ${p.type} ${p.fingerprint}, ${p.remembered ? `celle mémorisée pour ${p.name}` : 'listée dans le known_hosts de cet ordinateur'}.`,
  'ssh.hostKey.fix': (p: P<'file' | 'fingerprint' | 'known' | 'name' | 'readd'>) =>
    `Sur le serveur, lisez l’empreinte de sa clé : ssh-keygen -lf ${p.file} (ou demandez-la à son administrateur), et comparez-la avec ${p.fingerprint}. Si elles diffèrent, ne vous connectez pas : quelqu’un intercepte peut-être la connexion. Seulement si elles concordent, ${hostKeySteps(p)}.`,
  'ssh.auth.ok': (p: P<'user' | 'method'>) =>
    `${p.user} est connecté (${SSH_AUTH[p.method] ?? p.method}) ; fichiers et commandes fonctionnent.`,
  'ssh.sudo.ok': (p: P<'user' | 'runAs' | 'command'>) =>
    `${p.user} peut agir en tant que ${p.runAs} sans mot de passe (${p.command} fonctionne).`,
  'ssh.sudo.missing': (p: P<'command' | 'error'>) =>
    `sudo n’est pas installé sur le serveur (${p.command} : ${p.error}).`,
  'ssh.sudo.fix.install': (p: P<'user' | 'runAs' | 'line'>) =>
    `Installez sudo sur le serveur (Debian : apt install sudo), puis autorisez ${p.user} à agir en tant que ${p.runAs} : visudo -f /etc/sudoers.d/marketdesk et ajoutez la ligne : ${p.line}`,
  'ssh.sudo.timeout': (p: P<'command'>) => `${p.command} ne s’est pas terminé en 10 s sur le serveur.`,
  'ssh.sudo.denied': (p: P<'user' | 'runAs' | 'command' | 'said' | 'exit'>) =>
    `${p.user} ne peut pas agir en tant que ${p.runAs} sans mot de passe : ${p.command} a répondu ${p.said ? `« ${p.said} »` : `rien (code de sortie ${p.exit})`}.`,
  'ssh.sudo.fix.allow': (p: P<'user' | 'runAs' | 'line'>) =>
    `Sur le serveur, en root, lancez visudo -f /etc/sudoers.d/marketdesk et ajoutez la ligne : ${p.line} (Marketdesk exécute sftp-server, id et php en tant que ${p.runAs}) ; ou retirez « Écrire les fichiers en tant que » de l’instance pour travailler en tant que ${p.user}.`,
  'title.network.route': () => NETWORK_STEP_TITLES.route,
  'title.network.dns': () => NETWORK_STEP_TITLES.dns,
  'title.network.tcp': () => NETWORK_STEP_TITLES.tcp,
  'title.network.tls': () => NETWORK_STEP_TITLES.tls,
  'title.network.http': () => NETWORK_STEP_TITLES.http,
  'title.network.clock': () => NETWORK_STEP_TITLES.clock,
  'title.network.registration': () => 'Réponse d’enregistrement',
  'title.network.marketplace': () => 'Page de la marketplace',
  'title.network.archive': () => 'Hôte des archives',
  'title.ssh.dns': () => SSH_STEPS.dns,
  'title.ssh.tcp': () => SSH_STEPS.tcp,
  'title.ssh.host-key': () => SSH_STEPS['host-key'],
  'title.ssh.auth': () => SSH_STEPS.auth,
  'title.ssh.sudo': () => SSH_STEPS.sudo,
  'title.key.text.length': () => 'Longueur de la clé',
  'title.key.text.whitespace': () => 'Espaces et retours à la ligne',
  'title.key.text.quotes': () => 'Guillemets',
  'title.key.text.characters': () => 'Caractères',
  'title.key.text.repeated': () => 'Collée deux fois',
  'title.key.text.encoding': () => 'Contenu de la clé',
  'title.key.text.result': () => 'Après normalisation',
  'title.key.storage': () => 'Où la clé est conservée',
  'title.key.answers': () => 'Dernières réponses',
  'title.key.verdict': () => 'Verdict',
  'title.instance.root': () => 'Racine de GLPI',
  'title.instance.config-dir': () => 'Dossier de configuration',
  'title.instance.glpicrypt-key': () => 'Clé de sécurité (glpicrypt.key)',
  'title.instance.config-db': () => 'Paramètres de la base (config_db.php)',
  'title.instance.marketplace-dir': () => 'Dossier marketplace',
  'title.instance.plugins-dir': () => 'Dossier plugins',
  'title.instance.glpi-network': () => 'Adresse de GLPI Network',
  'title.instance.disk-space': () => 'Espace disque libre',
  'title.instance.plugin-folders': () => 'Dossiers de greffons',
  'title.php.version': () => 'Version de PHP',
  'title.php.extensions': () => 'Extensions PHP',

  'notify.list.and': (p: P<'head' | 'last'>) => `${p.head} et ${p.last}`,
  'notify.list.more': (p: P<'head' | 'count'>) => `${p.head} et ${p.count} autres`,
  'notify.updates.titleOne': (p: P<'instance'>) => `Une mise à jour de greffon pour ${p.instance}`,
  'notify.updates.titleMany': (p: P<'count' | 'instance'>) => `${p.count} mises à jour de greffons pour ${p.instance}`,
  'notify.updates.availableOne': (p: P<'list'>) => `${p.list} est disponible.`,
  'notify.updates.availableMany': (p: P<'list'>) => `${p.list} sont disponibles.`,
  'notify.updates.new': (p: P<'list' | 'count'>) => `Nouveau : ${p.list} (${p.count} mises à jour en tout).`,
  'notify.subscription.title': () => 'Fin prochaine de l’abonnement GLPI Network',
  'notify.subscription.endsToday': (p: P<'date'>) => `se termine aujourd’hui (${p.date})`,
  'notify.subscription.endsTomorrow': (p: P<'date'>) => `se termine le ${p.date}, dans 1 jour`,
  'notify.subscription.endsIn': (p: P<'date' | 'days'>) => `se termine le ${p.date}, dans ${p.days} jours`,
  'notify.subscription.body': (p: P<'name' | 'when'>) =>
    `L’abonnement${p.name ? ` (${p.name})` : ''} ${p.when}. Renouvelez-le pour garder les greffons premium et leurs mises à jour.`,
  'guard.duplicate': (p: P<'key' | 'loaded' | 'ignored'>) =>
    `${p.key} est à la fois dans ${p.loaded} et dans ${p.ignored} : GLPI charge la copie de ${p.loaded} et ignore l’autre, quelles que soient leurs versions.`,
  'guard.fix.duplicate': (p: P<'loaded' | 'ignored'>) =>
    `Sortez ${p.ignored} des dossiers de greffons de GLPI (GLPI continue de charger ${p.loaded}) ; si c’est ${p.ignored} que vous voulez garder, sortez plutôt ${p.loaded}.`,
  'guard.nested': (p: P<'path' | 'inner'>) =>
    `${p.path} n’a pas de setup.php mais ${p.inner} en a un : le greffon a été décompressé un dossier trop bas, GLPI ne le trouve donc pas.`,
  'guard.fix.nested': (p: P<'path' | 'inner' | 'command'>) =>
    p.command
      ? `Remontez le dossier intérieur d’un niveau : ${p.command}`
      : `Remontez le contenu de ${p.inner} dans ${p.path}.`,
  'guard.branchName': (p: P<'path' | 'folder' | 'key'>) =>
    `GLPI tire la clé d’un greffon du nom de son dossier, et « ${p.folder} » (${p.path}) n’est pas une clé (lettres et chiffres seulement)${p.key ? ` : le greffon ${p.key} qu’il contient n’est pas chargé comme ${p.key}, et dès qu’un dossier nommé ${p.key} existe aussi, PHP peut s’arrêter sur « Cannot redeclare plugin_version_${p.key}() »` : ''}.`,
  'guard.fix.branchName': (p: P<'path' | 'command' | 'key'>) =>
    p.command
      ? `Renommez-le d’après la clé du greffon : ${p.command}`
      : `Sortez ${p.path} des dossiers de greffons de GLPI${p.key ? ` (installez ${p.key} sous son propre nom à la place)` : ''}.`,
  'guard.archive': (p: P<'path'>) =>
    `${p.path} est une archive jamais décompressée : GLPI ne lit que des dossiers, le greffon qu’elle contient n’est donc pas installé.`,
  'guard.fix.archive': (p: P<'path' | 'dir'>) =>
    `Supprimez ${p.path}. Pour installer le greffon, passez par le catalogue de Marketdesk, ou décompressez-la de sorte que ${p.dir}/<key>/setup.php existe.`,
  'guard.vcs': (p: P<'path' | 'vcs'>) =>
    `${p.path} contient un dossier ${p.vcs} : c’est sans doute une copie de travail en développement, que Marketdesk ne remplacera pas.`,
  'guard.fix.vcs': () =>
    'Mettez-la à jour avec votre outil de gestion de versions, ou sortez-la d’abord de marketplace/.',
  'guard.noSetup': (p: P<'path'>) => `${p.path} n’a pas de setup.php : GLPI n’y voit aucun greffon.`,
  'guard.fix.noSetup': (p: P<'path'>) =>
    `Supprimez ${p.path} si c’est un reste (d’une copie ratée ou d’une suppression), ou placez-y le greffon entier, avec setup.php directement dedans.`,
  'guard.phpSyntax': (p: P<'file' | 'output'>) =>
    `php -l trouve une erreur dans ${p.file} : ${p.output}. GLPI s’arrêterait dessus dès qu’il chargerait le greffon.`,
  'guard.fix.phpSyntax': (p: P<'key'>) =>
    `N’installez pas cette archive : signalez l’erreur à l’auteur de ${p.key}, ou choisissez une autre version.`,
  'guard.phpUnchecked': (p: P<'file' | 'reason'>) => `${p.file} n’a pas pu être vérifié avec php -l : ${p.reason}.`,
  'guard.fix.phpUnchecked': () =>
    'Vérifiez que php fonctionne sur le serveur GLPI (php -v), ou indiquez son chemin dans les Réglages (console de GLPI).',
  'instance.pluginFolders.ok': (p: P<'dirs'>) =>
    `Aucun dossier en double, imbriqué, mal nommé ou sans setup.php, et aucune archive non décompressée dans ${p.dirs}.`,
  'instance.pluginFolders.found': (p: P<'count' | 'findings'>) =>
    `${p.count === '1' ? '1 problème' : `${p.count} problèmes`} dans les dossiers de greffons : ${renderRefs(p.findings, ' ', inFrench)}`,
  'instance.pluginFolders.fix': (p: P<'findings'>) =>
    `Une correction par problème :\n${renderRefs(p.findings, '\n', (r) => `- ${inFrench(r)}`)}`,
  'install.failedAt': (p: P<'step'>) => `Échec à l’étape « ${p.step} » :`,
  'install.archive': (p: P<'code' | 'entry'>) =>
    `L’archive a été refusée (${p.code}${p.entry ? `, à ${p.entry}` : ''}) : ${ARCHIVE_REASONS[p.code] ?? 'elle ne peut pas être décompressée sans risque'}.`,
  'install.download': (p: P<'code' | 'plugin' | 'status'>) =>
    `Le téléchargement de ${p.plugin} a échoué (${p.code}${p.status ? `, HTTP ${p.status}` : ''}).`,
  'install.io': (p: P<'errno'>) => `Une opération sur les fichiers a échoué (${p.errno}).`,
  'install.cancelled': () => 'L’opération a été annulée ; rien n’a été modifié.',
  'install.version-unreadable': (p: P<'plugin'>) => `La version de ${p.plugin} n’a pas pu être lue dans son setup.php.`,
  'install.version-mismatch': (p: P<'plugin'>) =>
    `L’archive ne contient pas la version de ${p.plugin} qu’indique le catalogue.`,
  'install.fix.unsafeArchive': () =>
    'Cette archive ne peut pas être installée sans risque. Signalez-le à l’auteur du greffon ; ne la décompressez pas à la main.',
  'install.fix.download': (p: P<'code' | 'offers'>) =>
    p.code === 'entitlement' && p.offers
      ? `Ce greffon demande l’une de ces offres GLPI Network : ${p.offers}. Passez à une offre supérieure ou renouvelez l’abonnement, puis réessayez.`
      : (DOWNLOAD_FIXES[p.code] ?? 'Relancez le téléchargement.'),
  'install.fix.errno': (p: P<'errno' | 'where'>) => errnoFix(p.errno, p.where),
  'install.fix.again': () => 'Relancez-la quand vous serez prêt.',
  'install.fix.versionUnreadable': () => 'Signalez-le à l’auteur du greffon ; cette archive ne peut pas être vérifiée.',
  'install.fix.versionMismatch': () =>
    'Synchronisez le catalogue et réessayez ; si le problème persiste, signalez-le à l’auteur du greffon.',
  'install.checksum-changed': (p: P<'plugin' | 'version' | 'pinned' | 'received'>) =>
    `L’archive de ${p.plugin} ${p.version} a changé : son SHA-256 est maintenant ${p.received}, alors qu’il était ${p.pinned} quand cette version a été installée la première fois. L’auteur a peut-être republié l’archive en place sous la même version, ou elle a été altérée.`,
  'install.checksumConfirm': (p: P<'pinned' | 'received' | 'command'>) =>
    `  SHA-256 épinglé :  ${p.pinned}\n  SHA-256 reçu :     ${p.received}\nUne fois la nouvelle archive vérifiée, installez-la avec :\n  ${p.command}`,
  'install.fix.checksumChanged': (p: P<'plugin' | 'version' | 'received'>) =>
    `Demandez à l’auteur du greffon (ou consultez sa page de publication) si ${p.plugin} ${p.version} a été republié, et comparez le nouveau SHA-256 ${p.received} avec celui qu’il publie. S’il correspond, confirmez-le : marketdesk install ${p.plugin}@${p.version} --accept-new-checksum ${p.received} (ou « Faire confiance à la nouvelle archive… » dans l’application). Sinon, ne l’installez pas.`,
  'bundle.not-found': (p: P<'file'>) => `Il n’y a pas de lot à ${p.file}.`,
  'bundle.fix.not-found': () =>
    'Vérifiez le chemin : il est lu sur l’ordinateur qui exécute Marketdesk (pour le shell navigateur : celui qui sert la page). Puis réessayez.',
  'bundle.unreadable': (p: P<'file' | 'errno'>) => `${p.file} ne peut pas être lu (${p.errno}).`,
  'bundle.fix.unreadable': (p: P<'file'>) =>
    `Donnez au compte qui exécute Marketdesk le droit de lire ${p.file} (ou copiez-le là où il peut le lire), puis réessayez.`,
  'bundle.corrupt': (p: P<'file' | 'reason'>) => `${p.file} n’est pas un lot Marketdesk lisible : ${p.reason}.`,
  'bundle.truncated': (p: P<'file' | 'bytes'>) =>
    `${p.file} est tronqué : il s’arrête après ${p.bytes} octets, avant la fin du lot (une copie inachevée ?). Rien n’a été installé.`,
  'bundle.fix.copyAgain': () =>
    'Copiez de nouveau le lot depuis l’ordinateur qui l’a créé (sa taille et son SHA-256 sont ceux qu’a affichés marketdesk bundle create), vérifiez-le avec --sha256, puis réessayez.',
  'bundle.tampered': (p: P<'file' | 'plugin' | 'version' | 'expected' | 'actual'>) =>
    `L’archive de ${p.plugin} ${p.version} dans ${p.file} ne correspond pas à bundle.json : son SHA-256 est ${p.actual}, bundle.json indique ${p.expected}. Le lot a été endommagé ou modifié après sa création ; rien n’a été installé.`,
  'bundle.fix.remake': () =>
    'N’utilisez pas ce lot. Créez-le de nouveau sur l’ordinateur connecté (marketdesk bundle create … -o FICHIER), copiez-le, et vérifiez-le avec --sha256 et le SHA-256 affiché par bundle create.',
  'bundle.version': (p: P<'file' | 'format' | 'supported'>) =>
    `${p.file} est un lot au format ${p.format}, créé par un Marketdesk plus récent ; celui-ci lit le format ${p.supported}.`,
  'bundle.fix.version': () =>
    'Mettez à jour Marketdesk sur cet ordinateur vers la version qui a créé le lot (ou une plus récente), ou créez le lot avec la version de Marketdesk installée ici.',
  'bundle.sha256-mismatch': (p: P<'file' | 'expected' | 'actual'>) =>
    `${p.file} a pour SHA-256 ${p.actual}, et non ${p.expected} comme indiqué : ce n’est pas le lot qui a été créé (endommagé, modifié, ou un autre fichier). Rien n’a été installé.`,
  'bundle.fix.sha256': () =>
    'Copiez de nouveau le lot depuis l’ordinateur qui l’a créé, et comparez avec le SHA-256 affiché là-bas par marketdesk bundle create, reçu par un canal de confiance.',
  'bundle.not-writable': (p: P<'file' | 'errno'>) => `Le lot ne peut pas être écrit dans ${p.file} (${p.errno}).`,
  'bundle.fix.not-writable': (p: P<'folder'>) =>
    `Écrivez-le dans un dossier qui existe et où vous pouvez écrire (-o FICHIER), ou donnez au compte qui exécute Marketdesk le droit d’écrire dans ${p.folder}, puis réessayez.`,
  'bundle.cancelled-create': (p: P<'file'>) =>
    `Annulé : aucun lot n’a été écrit dans ${p.file}. Les archives déjà téléchargées restent dans le cache des téléchargements, vérifiées.`,
  'bundle.cancelled-read': (p: P<'file'>) => `Annulé pendant la lecture de ${p.file} : rien n’a été modifié.`,
  'bundle.fix.cancelled': () => 'Relancez-le quand vous serez prêt.',
  'bundle.disk-full': (p: P<'file'>) =>
    `Le disque qui contient ${p.file} est plein (ou votre quota est atteint) ; rien n’a été laissé à moitié écrit.`,
  'bundle.fix.disk-full': (p: P<'file'>) =>
    `Libérez de la place sur le disque qui contient ${p.file} (ou choisissez un autre emplacement), puis réessayez.`,
  'bundle.unresolved': (p: P<'problems'>) => `Certains greffons ne peuvent pas entrer dans le lot :\n${p.problems}`,
  'bundle.fix.unresolved': () =>
    'Écrivez un manifeste (marketdesk manifest export --instance NOM > plugins.json), modifiez ou retirez ces lignes, puis créez le lot à partir de lui : marketdesk bundle create --manifest plugins.json -o FICHIER. Rien n’a été écrit.',
  'bundle.checksum-mismatch': (p: P<'plugin' | 'version' | 'expected' | 'actual'>) =>
    `L’archive de ${p.plugin} ${p.version} a pour SHA-256 ${p.actual}, et non ${p.expected} comme l’indique le manifeste. Rien n’a été écrit.`,
  'bundle.fix.checksumMismatch': () =>
    'Vérifiez d’où vient la somme de contrôle du manifeste : si la nouvelle archive est la bonne, mettez à jour le sha256 du manifeste (ou retirez-le) et recréez le lot ; sinon, ne la mettez pas dans le lot.',
  'bundle.fix.checksumChanged': (p: P<'plugin' | 'version' | 'received' | 'command'>) =>
    `Demandez à l’auteur du greffon (ou consultez sa page de publication) si ${p.plugin} ${p.version} a été republié, et comparez le nouveau SHA-256 ${p.received} avec celui qu’il publie. S’il correspond, confirmez-le : ${p.command} --accept-new-checksum ${p.received}. Sinon, ne l’utilisez pas.`,
};

/** « : ; ! ? » take a non-breaking space before them, so a line never starts with one. */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([:;!?»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
}

export const fr: Messages = Object.fromEntries(
  Object.entries(messages).map(([id, entry]) => [
    id,
    (params: Record<string, string>) => frenchSpacing((entry as (p: Record<string, string>) => string)(params)),
  ]),
) as unknown as Messages;

/** A reference in French (what the lists of references in a parameter are rendered with). */
function inFrench(r: MessageRef): string {
  const entry = (fr as unknown as Record<string, ((p: Record<string, string>) => string) | undefined>)[r.id];
  return entry ? entry(r.params ?? {}) : r.id;
}
