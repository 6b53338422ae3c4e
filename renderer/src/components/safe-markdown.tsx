import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import { t } from '../i18n/t';
import { httpsUrl, webUrl } from '../store/catalog-view';
import { decodeEntities, HREF, htmlToLines, type MdNode } from '../../../shared/html-text';

/**
 * Plugin descriptions come from plugin authors through GLPI Network: untrusted. They are rendered
 * from Markdown with no raw HTML at all (HTML blocks become their plain text, script and style
 * content dropped; `skipHtml` removes anything left), links only to http(s) and mailto, images only
 * from https (an http image becomes a link), and every link opens outside the app.
 */
export const SafeMarkdown = memo(function SafeMarkdown({ source, testId }: { source: string; testId?: string }) {
  return (
    <div className="markdown" data-testid={testId}>
      <Markdown skipHtml remarkPlugins={[htmlAsText]} urlTransform={safeUrl} components={COMPONENTS}>
        {source}
      </Markdown>
    </div>
  );
});

/** react-markdown's urlTransform: what is not kept becomes no attribute at all. */
export function safeUrl(url: string, key: string): string | null {
  const web = webUrl(url);
  if (web) return web;
  if (key === 'href' && /^\s*mailto:/i.test(url)) {
    try {
      const parsed = new URL(url.trim());
      return parsed.protocol === 'mailto:' ? parsed.href : null;
    } catch {
      return null;
    }
  }
  return null;
}

const COMPONENTS: Components = {
  // The details page has its own h1/h2: author headings sit below them.
  h1: 'h3',
  h2: 'h4',
  h3: 'h5',
  h4: 'h6',
  h5: 'h6',
  h6: 'h6',
  a({ href, children }) {
    const url = typeof href === 'string' ? safeUrl(href, 'href') : null;
    if (!url) return <span className="markdown__dead-link">{children}</span>;
    return (
      <a href={url} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    );
  },
  img({ src, alt }) {
    const url = typeof src === 'string' ? src : null;
    const https = httpsUrl(url);
    const label = alt ? t('markdown.image', { alt }) : t('markdown.imageNoAlt');
    if (https) {
      return (
        <img
          className="markdown__image"
          src={https}
          alt={alt ?? ''}
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
        />
      );
    }
    const web = webUrl(url);
    if (web) {
      return (
        <a href={web} target="_blank" rel="noopener noreferrer">
          {label}
        </a>
      );
    }
    return alt ? <span>{alt}</span> : null;
  },
};

// ---------------------------------------------------------------------------------------------
// HTML → text and links (a remark plugin over mdast, typed structurally). Links become Markdown
// link nodes, so their address goes through the same urlTransform and `a` component as any other.

const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

const OPEN_ANCHOR = /^<a\b[^>]*>$/i;
const CLOSE_ANCHOR = /^<\/a\s*>$/i;

function convert(node: MdNode): void {
  if (!node.children) return;
  const block = BLOCK_PARENTS.has(node.type);
  const children = node.children;
  const out: MdNode[] = [];
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as MdNode;
    if (child.type !== 'html') {
      convert(child);
      out.push(child);
      continue;
    }
    const value = child.value ?? '';
    // Inline `<a href="…">text</a>` arrives as an opening tag, content nodes and a closing tag.
    if (!block && OPEN_ANCHOR.test(value.trim())) {
      const end = children.findIndex((c, j) => j > i && c.type === 'html' && CLOSE_ANCHOR.test((c.value ?? '').trim()));
      const href = HREF.exec(value);
      const url = decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim();
      if (end > i && url) {
        const inner: MdNode = { type: 'link', url, children: children.slice(i + 1, end) };
        convert(inner);
        out.push(inner);
        i = end;
        continue;
      }
    }
    const lines = htmlToLines(value);
    if (block) for (const line of lines) out.push({ type: 'paragraph', children: line });
    else out.push(...lines.flatMap((line, k) => (k > 0 ? [{ type: 'text', value: ' ' }, ...line] : line)));
  }
  node.children = out;
}

function htmlAsText() {
  return (tree: MdNode) => convert(tree);
}
