import type { Messages } from './en';

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
    `Non vérifié : la connexion à GLPI Network a échoué avant (${p.step}).`,
  'doctor.notChecked.noKey': () => 'il n’y a pas de clé à vérifier',
  'doctor.notChecked.ssh': (p: P<'step'>) => `Non vérifié : parce que l’étape « ${sshStep(p.step)} » a échoué.`,
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
  'title.network.route': () => 'Choix du proxy',
  'title.network.dns': () => 'Résolution DNS',
  'title.network.tcp': () => 'Connexion TCP',
  'title.network.tls': () => 'Négociation TLS',
  'title.network.http': () => 'Réponse HTTP',
  'title.network.clock': () => 'Horloge',
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
  'title.instance.disk-space': () => 'Espace disque libre',
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
