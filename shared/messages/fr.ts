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
