/**
 * The doctor's check of a pasted key before anything is sent (checkKeyText): quotes, invisible
 * characters, line breaks, length, and what a base64-JSON key holds.
 *
 * No text produced here ever holds the key: only its masked form (first 4 and last 4 characters),
 * lengths, positions, code points and, for a base64-JSON key, the names of its fields.
 */
import { KEY_MAX_LENGTH, KEY_MIN_LENGTH, maskKey, normalizeKey } from '../../../shared/key-format';
import { refCheck, skipped, type Check } from './check';
import { ref } from '../../../shared/messages/ref';

const QUOTE_PAIRS: readonly [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201c', '\u201d'], // “ ”
  ['\u201e', '\u201c'], // „ “
  ['\u2018', '\u2019'], // ‘ ’
  ['\u00ab', '\u00bb'], // « »
  ['\u2039', '\u203a'], // ‹ ›
];
const QUOTES = new Set(QUOTE_PAIRS.flat());

/** Characters that show as nothing (or as a space) and travel with a copy from a web page or a mail. */
const INVISIBLE: Record<number, string> = {
  0x00a0: 'no-break space',
  0x00ad: 'soft hyphen',
  0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x202f: 'narrow no-break space',
  0x2060: 'word joiner',
  0xfeff: 'byte order mark',
};

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function charName(c: string): string {
  const cp = c.codePointAt(0)!;
  if (c === ' ') return 'space';
  if (c === '\t') return 'tab';
  if (c === '\n' || c === '\r') return 'line break';
  if (INVISIBLE[cp]) return `${INVISIBLE[cp]} (${codePoint(c)})`;
  if (cp < 0x20 || cp === 0x7f) return `control character ${codePoint(c)}`;
  if (/\s/.test(c)) return `whitespace ${codePoint(c)}`;
  return codePoint(c);
}

/** "2 line breaks, 1 space": counts by kind, a CRLF counting once. */
function describeRun(chars: string): string {
  const counts = new Map<string, number>();
  const text = chars.replace(/\r\n/g, '\n');
  for (const c of text) counts.set(charName(c), (counts.get(charName(c)) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${n} ${name}${n > 1 && !name.includes('(') ? 's' : ''}`).join(', ');
}

function isInvisible(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return INVISIBLE[cp] !== undefined || cp < 0x20 || cp === 0x7f;
}

/** Positions (1-based, in the pasted text) listed up to a few, and how many more there are ('' for none). */
function positions(list: number[]): { positions: string; more: string } {
  return { positions: list.slice(0, 5).join(', '), more: list.length > 5 ? String(list.length - 5) : '' };
}

interface Base64Json {
  /** 'json': decodes to a JSON object; 'broken': looks like one but does not decode. */
  kind: 'json' | 'broken' | 'other';
  why?: string;
  fields?: string[];
}

/** Keys have been base64 of a JSON object (docs/glpi-network-api.md §3.2): `eyJ` is base64 for `{"`. */
function inspectBase64Json(key: string): Base64Json {
  if (!key.startsWith('eyJ')) return { kind: 'other' };
  const std = /^[A-Za-z0-9+/]*={0,2}$/.test(key);
  const url = /^[A-Za-z0-9_-]*={0,2}$/.test(key);
  if (!std && !url) {
    const bad = [...key].findIndex((c) => !/[A-Za-z0-9+/=_-]/.test(c));
    return {
      kind: 'broken',
      why: `it starts like base64-encoded JSON but has a character outside base64 (${charName(key[bad] ?? '')}) at position ${bad + 1}`,
    };
  }
  const body = key.replace(/=+$/, '');
  if (key.includes('=') && key.length % 4 !== 0)
    return { kind: 'broken', why: `its padding is wrong: ${key.length} characters is not a multiple of 4` };
  if (body.length % 4 === 1)
    return { kind: 'broken', why: 'its length is impossible for base64: characters are missing' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(body, url && !std ? 'base64url' : 'base64'));
  } catch {
    return { kind: 'broken', why: 'it decodes to bytes that are not text: characters are missing or changed' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      kind: 'broken',
      why: `it decodes to ${text.length} characters of JSON that ${text.trimEnd().endsWith('}') ? 'are damaged' : 'stop before the end'}`,
    };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'broken', why: 'it decodes to JSON that is not an object' };
  return { kind: 'json', fields: Object.keys(value) };
}

/** The pasted text taken apart: where the key is in it, and what surrounds or breaks it. */
interface Paste {
  raw: string;
  trimmed: string;
  /** Whitespace before and after the trimmed text. */
  lead: number;
  trail: number;
  /** The text inside the quotes, trimmed. */
  inner: string;
  quoteFinding: { kind: 'pair'; open: string; close: string } | { kind: 'lone'; quote: string; start: boolean } | null;
  /** Whitespace inside the key, invisible characters and other non-ASCII ones, with their positions. */
  inside: { pos: number; c: string }[];
  invisible: { pos: number; c: string }[];
  odd: { pos: number; c: string }[];
  /** The inner text without whitespace and invisible characters. */
  cleaned: string;
  /** One copy of a key pasted twice, else `cleaned`. */
  core: string;
  repeated: boolean;
}

/** Quotes around the key (after trimming), typographic ones included; `offset` where the key starts in the raw text. */
function stripQuotes(trimmed: string, lead: number): Pick<Paste, 'inner' | 'quoteFinding'> & { offset: number } {
  let inner = trimmed;
  let offset = lead;
  let quoteFinding: Paste['quoteFinding'] = null;
  const first = [...trimmed][0]!;
  const last = [...trimmed].at(-1)!;
  const pair = QUOTE_PAIRS.find(([open, close]) => first === open && last === close);
  if (pair && trimmed.length >= 2) {
    quoteFinding = { kind: 'pair', open: pair[0], close: pair[1] };
    inner = trimmed.slice(pair[0].length, trimmed.length - pair[1].length);
    offset += pair[0].length;
  } else if (QUOTES.has(first) || QUOTES.has(last)) {
    const q = QUOTES.has(first) ? first : last;
    quoteFinding = { kind: 'lone', quote: q, start: QUOTES.has(first) };
    inner = QUOTES.has(first) ? trimmed.slice(first.length) : trimmed.slice(0, trimmed.length - last.length);
    if (QUOTES.has(first)) offset += first.length;
  }
  offset += inner.length - inner.trimStart().length;
  return { inner: inner.trim(), quoteFinding, offset };
}

/** Whitespace inside the key and invisible or non-ASCII characters, with their positions in the raw text. */
function scanCharacters(inner: string, start: number): Pick<Paste, 'inside' | 'invisible' | 'odd' | 'cleaned'> {
  const inside: Paste['inside'] = [];
  const invisible: Paste['invisible'] = [];
  const odd: Paste['odd'] = [];
  let offset = start;
  for (const c of inner) {
    const pos = offset + 1;
    offset += c.length;
    if (/\s/.test(c) && !INVISIBLE[c.codePointAt(0)!]) inside.push({ pos, c });
    else if (isInvisible(c)) invisible.push({ pos, c });
    else if (c.codePointAt(0)! > 0x7e || c.codePointAt(0)! < 0x21) odd.push({ pos, c });
  }
  const cleaned = [...inner].filter((c) => !/\s/.test(c) && !isInvisible(c)).join('');
  return { inside, invisible, odd, cleaned };
}

/** A key pasted twice (possibly with a space or a line break between the copies). */
function findRepeat(cleaned: string): Pick<Paste, 'core' | 'repeated'> {
  if (cleaned.length >= 2 * KEY_MIN_LENGTH && cleaned.length % 2 === 0) {
    const half = cleaned.slice(0, cleaned.length / 2);
    if (half === cleaned.slice(cleaned.length / 2)) return { core: half, repeated: true };
  }
  return { core: cleaned, repeated: false };
}

function parsePaste(raw: string): Paste {
  const trimmed = raw.trim();
  // Where the trimmed text starts in the raw one, so positions refer to what was pasted.
  const lead = raw.length - raw.trimStart().length;
  const trail = raw.length - raw.trimEnd().length;
  const { inner, quoteFinding, offset } = stripQuotes(trimmed, lead);
  const scanned = scanCharacters(inner, offset);
  return { raw, trimmed, lead, trail, inner, quoteFinding, ...scanned, ...findRepeat(scanned.cleaned) };
}

const id = (s: string) => `key.text.${s}`;
const PASTE_AGAIN = ref('key.text.fix.pasteAgain');

/** Nothing but whitespace was pasted: the length fails, the other checks have nothing to look at. */
function emptyPasteChecks(raw: string): Check[] {
  const checks: Check[] = [
    refCheck(
      { id: id('length'), title: 'Key length', state: 'failed' },
      raw.length === 0 ? ref('key.text.nothing') : ref('key.text.onlyWhitespace', { chars: describeRun(raw) }),
      ref('key.text.fix.paste'),
    ),
  ];
  for (const [s, title] of [
    ['whitespace', 'Spaces and line breaks'],
    ['quotes', 'Quotes'],
    ['characters', 'Characters'],
    ['repeated', 'Pasted twice'],
    ['encoding', 'Key content'],
    ['result', 'After normalisation'],
  ] as const)
    checks.push(skipped(id(s), title, ref('doctor.notChecked.noKey')));
  return checks;
}

/** 1. Length, before and after normalisation. */
function lengthCheck(p: Paste): Check {
  const { raw, trimmed, cleaned, core } = p;
  const base = {
    id: id('length'),
    title: 'Key length',
    details: {
      'as pasted': `${raw.length} characters`,
      'after trimming': `${trimmed.length} characters`,
      'without quotes, spaces and invisible characters': `${cleaned.length} characters`,
    },
  };
  if (trimmed.length > KEY_MAX_LENGTH)
    return refCheck(
      { ...base, state: 'failed' },
      ref('key.text.tooLong', { length: String(trimmed.length), max: String(KEY_MAX_LENGTH) }),
      PASTE_AGAIN,
    );
  if (core.length < KEY_MIN_LENGTH)
    return refCheck(
      { ...base, state: 'failed' },
      ref('key.text.tooShort', { length: String(core.length) }),
      PASTE_AGAIN,
    );
  const pasted = core.length !== raw.length ? String(raw.length) : '';
  return refCheck({ ...base, state: 'ok' }, ref('key.text.lengthOk', { length: String(core.length), pasted }));
}

/** The width of the lines of a key wrapped like a mail client does; null when it is not wrapped. */
function wrapWidth(p: Paste): number | null {
  const lines = p.inner.split(/\r?\n/).map((l) => l.trim());
  const width = lines[0]!.length;
  const wrapped =
    lines.length > 1 &&
    width >= 32 &&
    lines.slice(0, -1).every((l) => l.length === width && !/\s/.test(l)) &&
    lines.at(-1)!.length <= width &&
    !p.repeated;
  return wrapped ? width : null;
}

/** 2. Whitespace: around (removed automatically) and inside (refused). */
function whitespaceCheck(p: Paste): Check {
  const { raw, lead, trail, inside } = p;
  const base = { id: id('whitespace'), title: 'Spaces and line breaks' };
  const around = lead + trail > 0 ? describeRun(raw.slice(0, lead) + raw.slice(raw.length - trail)) : null;
  if (inside.length > 0) {
    const width = wrapWidth(p);
    const summary = ref('key.text.inside', {
      chars: describeRun(inside.map((w) => w.c).join('')),
      ...positions(inside.map((w) => w.pos)),
      width: width !== null ? String(width) : '',
    });
    const details = { 'around the key': around ?? 'none' };
    return refCheck(
      { ...base, state: 'failed', details },
      summary,
      width !== null ? ref('key.text.fix.join') : PASTE_AGAIN,
    );
  }
  if (around !== null)
    return refCheck(
      { ...base, state: 'warning' },
      ref('key.text.around', { chars: around }),
      ref('key.text.fix.around'),
    );
  return refCheck({ ...base, state: 'ok' }, ref('key.text.noWhitespace'));
}

/** 3. Quotes from a copy-paste. */
function quotesCheck({ quoteFinding: q }: Paste): Check {
  const base = { id: id('quotes'), title: 'Quotes' };
  if (!q) return refCheck({ ...base, state: 'ok' }, ref('key.text.noQuotes'));
  const summary =
    q.kind === 'pair'
      ? ref('key.text.quoted', { open: q.open, close: q.close, typographic: q.open === q.close ? '' : 'yes' })
      : ref('key.text.strayQuote', { quote: q.quote, start: q.start ? 'yes' : '' });
  return refCheck({ ...base, state: 'failed' }, summary, ref('key.text.fix.quotes'));
}

/** The masked form shown by Marketdesk or GLPI (`…` or `•`) instead of the key. */
function isMasked(p: Paste): boolean {
  return /[\u2026\u2022]/.test(p.inner);
}

/** 4. Characters: control, invisible and non-ASCII ones; the masked form. */
function charactersCheck(p: Paste): Check {
  const base = { id: id('characters'), title: 'Characters' };
  const problems = [...p.invisible, ...p.odd];
  if (isMasked(p)) return refCheck({ ...base, state: 'failed' }, ref('key.text.masked'), ref('key.text.fix.masked'));
  if (problems.length === 0) return refCheck({ ...base, state: 'ok' }, ref('key.text.printable'));
  const summary = ref('key.text.oddCharacters', {
    list: problems
      .slice(0, 5)
      .map((c) => `${charName(c.c)}@${c.pos}`)
      .join('|'),
    more: problems.length > 5 ? String(problems.length - 5) : '',
  });
  const details =
    p.invisible.length > 0
      ? { invisible: 'Invisible characters come with a copy from a web page, a chat or a document.' }
      : undefined;
  return refCheck({ ...base, state: 'failed', details }, summary, ref('key.text.fix.oddCharacters'));
}

/** 5. Pasted twice. */
function repeatedCheck({ repeated, core }: Paste): Check {
  const base = { id: id('repeated'), title: 'Pasted twice' };
  if (!repeated) return refCheck({ ...base, state: 'ok' }, ref('key.text.notRepeated'));
  return refCheck(
    { ...base, state: 'failed' },
    ref('key.text.repeated', { length: String(core.length), masked: maskKey(core) }),
    ref('key.text.fix.repeated'),
  );
}

/** 6. Content: base64-encoded JSON that decodes (a cut-off key does not). */
function encodingCheck(p: Paste, content: Base64Json): Check {
  const base = { id: id('encoding'), title: 'Key content' };
  const about = p.repeated ? 'repeated' : p.cleaned !== p.trimmed ? 'cleaned' : '';
  if (content.kind === 'other') return skipped(base.id, base.title, ref('key.text.notJson'));
  if (content.kind === 'broken')
    return refCheck(
      { ...base, state: 'failed' },
      ref('key.text.damaged', { about, why: content.why! }),
      ref('key.text.fix.damaged'),
    );
  return refCheck(
    { ...base, state: 'ok', details: { fields: content.fields!.join(', ') || '(none)' } },
    ref('key.text.json', { about }),
  );
}

/** What cleaning up would leave, when it would leave a key: the result's summary says it. */
function cleanedHint(
  p: Paste,
  content: Base64Json,
): Record<'cleaned' | 'removed' | 'cleanedLength' | 'decodes', string> {
  const { cleaned, trimmed, core } = p;
  if (cleaned === trimmed || core.length < KEY_MIN_LENGTH || isMasked(p))
    return { cleaned: '', removed: '', cleanedLength: '', decodes: '' };
  const removed = [
    p.quoteFinding ? 'quotes' : '',
    p.inside.length ? 'spaces' : '',
    p.invisible.length ? 'invisible' : '',
    p.repeated ? 'copy' : '',
  ].filter(Boolean);
  return {
    cleaned: maskKey(core),
    removed: removed.join(','),
    cleanedLength: String(core.length),
    decodes: content.kind === 'json' ? 'yes' : '',
  };
}

/** 7. What normalisation makes of it; `worse` when an earlier check failed. */
function resultCheck(p: Paste, content: Base64Json, worse: boolean): Check {
  const base = { id: id('result'), title: 'After normalisation' };
  const normal = normalizeKey(p.raw);
  const hint = cleanedHint(p, content);
  if (!normal.ok) {
    const reason = `${normal.message.charAt(0).toLowerCase()}${normal.message.slice(1)}`;
    return { ...refCheck({ ...base, state: 'failed' }, ref('key.text.refused', { reason, ...hint })), fix: normal.fix };
  }
  const accepted = { masked: maskKey(normal.key), length: String(normal.key.length) };
  if (worse)
    return refCheck({ ...base, state: 'failed' }, ref('key.text.wouldAccept', { ...accepted, ...hint }), PASTE_AGAIN);
  return refCheck(
    { ...base, state: 'ok' },
    ref('key.text.resultOk', { ...accepted, trimmed: normal.key !== p.raw ? 'yes' : '' }),
  );
}

/** Format checks of a pasted key, before and after normalisation. */
export function checkKeyText(raw: string): Check[] {
  if (raw.trim().length === 0) return emptyPasteChecks(raw);
  const p = parsePaste(raw);
  const content = inspectBase64Json(p.core);
  const checks = [lengthCheck(p), whitespaceCheck(p), quotesCheck(p), charactersCheck(p), repeatedCheck(p)];
  checks.push(encodingCheck(p, content));
  checks.push(
    resultCheck(
      p,
      content,
      checks.some((c) => c.state === 'failed'),
    ),
  );
  return checks;
}
