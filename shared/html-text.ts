/**
 * What an author meant by some HTML, as plain text and link nodes (mdast shapes), never markup.
 * GLPI Network descriptions are Markdown or "the limited HTML some authors write"; nothing here
 * checks addresses: whoever renders the links does (safe-markdown's urlTransform).
 */

/** The mdast nodes this produces and safe-markdown walks, typed structurally. */
export interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function stripTags(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<(script|style|template|iframe|object|noscript|textarea)\b[\s\S]*?(<\/\1\s*>|$)/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr|ul|ol|blockquote|pre)\s*>|<(li|tr)\b[^>]*>/gi, '\n')
    .replace(/<\/?[A-Za-z!?][^>]*>?/g, '');
}

export const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
// Placeholders for links while the rest is stripped: a private-use character, removed from the input.
const TOKEN = /\uE000(\d+)\uE000/;

/** The text an author meant by some HTML, one entry per line; never markup. */
export function htmlToText(html: string): string[] {
  return htmlToLines(html).map((line) => line.map((n) => n.value ?? n.children?.[0]?.value ?? '').join(''));
}

/** Lines of text and link nodes (addresses not checked here: urlTransform does it). */
export function htmlToLines(html: string): MdNode[][] {
  const links: { url: string; text: string }[] = [];
  const marked = html.replace(/\uE000/g, '').replace(ANCHOR, (_whole, attrs: string, inner: string) => {
    const href = HREF.exec(attrs);
    const text = decodeEntities(stripTags(inner)).replace(/\s+/g, ' ').trim();
    const url = decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim();
    if (!url) return ` ${text} `;
    links.push({ url, text: text || url });
    return `\uE000${links.length - 1}\uE000`;
  });
  return decodeEntities(stripTags(marked))
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((line) =>
      line
        .split(TOKEN)
        .map((part, i): MdNode | null => {
          if (i % 2 === 0) return part ? { type: 'text', value: part } : null;
          const link = links[Number(part)];
          return link ? { type: 'link', url: link.url, children: [{ type: 'text', value: link.text }] } : null;
        })
        .filter((n): n is MdNode => n !== null),
    );
}

/** Plain text for one line (a short description): tags dropped, entities decoded. */
export function htmlToPlain(html: string): string {
  return htmlToText(html).join(' ');
}
