/**
 * The registration family of the GLPI Network services API (docs/glpi-network-api.md §2.1–2.3): availability
 * probes, `info` and `offers`.
 *
 * HTTP status: `info` answers 200 for valid, terminated, unknown and missing keys alike. GLPI never
 * inspects the status of this family (docs/glpi-network-api.md §2.0, status codes): only the JSON body
 * counts, so a client that treats a 4xx with `is_valid` as a failure would disagree with GLPI. The
 * real service's status for invalid keys is unknown (docs/glpi-network-api.md §10.4); 200 is the answer that
 * works with every client that behaves like GLPI.
 */
import { offersFor, type Account, type AccountBook, type Lang } from './accounts';
import { json, type Route } from './router';

const MESSAGES: Record<'valid' | 'terminated' | 'invalid' | 'missing', Record<Lang, string>> = {
  valid: { en: 'The registration key is valid.', fr: "La clé d'enregistrement est valide." },
  terminated: {
    en: 'The registration key refers to a terminated subscription.',
    fr: "La clé d'enregistrement correspond à un abonnement résilié.",
  },
  invalid: { en: 'The registration key is invalid.', fr: "La clé d'enregistrement est invalide." },
  missing: {
    en: 'The registration key is missing: send it in the X-Registration-Key header.',
    fr: "La clé d'enregistrement est manquante : envoyez-la dans l'en-tête X-Registration-Key.",
  },
};

/** The exact body of `GET /api/registration/info`: all four keys, always. */
export interface RegistrationInfoBody {
  is_valid: boolean;
  validation_message: string;
  owner: { name: string } | null;
  subscription: {
    title: string;
    offer_reference: string;
    is_running: boolean;
    begin_date: string;
    end_date: string;
  } | null;
}

export function infoBody(key: string | undefined, account: Account | null, lang: Lang): RegistrationInfoBody {
  if (!key) return { is_valid: false, validation_message: MESSAGES.missing[lang], owner: null, subscription: null };
  if (!account) return { is_valid: false, validation_message: MESSAGES.invalid[lang], owner: null, subscription: null };
  return {
    is_valid: true,
    validation_message: (account.running ? MESSAGES.valid : MESSAGES.terminated)[lang],
    owner: { name: account.owner },
    subscription: {
      title: account.title,
      offer_reference: account.offer,
      is_running: account.running,
      begin_date: account.begins,
      end_date: account.ends,
    },
  };
}

export function registrationRoutes(accounts: AccountBook): Route[] {
  // GLPI only needs a non-empty body from the probes; the real bodies are unknown (docs/glpi-network-api.md §10.9).
  const probe = (): ReturnType<typeof json> => json(200, { status: 'ok', service: 'GLPI Network' });
  return [
    { method: 'GET', path: '/api/ping', handle: probe }, // GLPI 11
    { method: 'GET', path: '/api/registration/', handle: probe }, // GLPI 9.5 / 10.0
    { method: 'GET', path: '/api/registration', handle: probe },
    {
      method: 'GET',
      path: '/api/registration/info',
      handle: (ctx) => {
        const key = ctx.header('x-registration-key')?.trim() || undefined;
        const account = key ? accounts.lookup(key) : null;
        return json(200, infoBody(key, account, ctx.lang));
      },
    },
    { method: 'GET', path: '/api/registration/offers', handle: (ctx) => json(200, offersFor(ctx.lang)) },
  ];
}
