/**
 * The text-search structures of the catalogue index (catalog-query.ts): one folded string per
 * plugin with its fields in ranking order, and a token vocabulary with postings.
 */
import type { CatalogPlugin } from './catalog';
import { foldText } from './text-order';

export interface TextIndex {
  /**
   * Per plugin, one folded string: `key \n name \n tags… \n authors… \n descriptions…`. The fields
   * are in ranking order, so the first occurrence of a word is in its best field. Words never
   * contain whitespace (queries are split on it), so no match spans two fields.
   */
  text: string[];
  /** Per plugin: where the name and where tags/authors start in `text` (and `head`). */
  bounds: Int32Array;
  /** Per plugin: `text` up to the descriptions, searched first. */
  head: string[];
  /**
   * Every distinct whitespace-separated token of the texts, joined by `\n`, with where each starts
   * and (CSR) the plugins it occurs in. A word is a substring of a plugin's text exactly when it is
   * a substring of one of its tokens, so one `indexOf` pass over this (much shorter) string finds
   * the plugins a word can match, instead of scanning every description on every keystroke.
   */
  vocab: string;
  tokenStart: Int32Array;
  postingStart: Int32Array;
  postings: Int32Array;
  // Reused by every query (queries are synchronous).
  stamp: Uint16Array;
  marks: Int32Array;
  foundTokens: Int32Array;
  hitBuffer: Int32Array;
  scoreBuffer: Int32Array;
}

export function buildTextIndex<P extends Pick<CatalogPlugin, 'key' | 'name' | 'tags' | 'authors'>>(
  plugins: readonly P[],
  descriptions: (p: P) => string,
): TextIndex {
  const ti = {} as TextIndex;
  const n = plugins.length;
  ti.text = new Array<string>(n);
  ti.head = new Array<string>(n);
  ti.bounds = new Int32Array(n * 2);
  const tokenIds = new Map<string, number>();
  const lists: number[][] = [];
  for (let i = 0; i < n; i++) {
    const p = plugins[i] as P;
    const key = foldText(p.key);
    const name = foldText(p.name);
    const meta = foldText([...p.tags, ...p.authors].join('\n'));
    const descs = foldText(descriptions(p));
    ti.bounds[i * 2] = key.length + 1;
    ti.bounds[i * 2 + 1] = key.length + 1 + name.length + 1;
    // Two strings rather than a slice of one: V8 searches flat strings about twice as fast.
    const head = `${key}\n${name}\n${meta}`;
    const text = `${head}\n${descs}`;
    ti.head[i] = head;
    ti.text[i] = text;
    for (const token of text.split(/\s+/)) {
      if (token === '') continue;
      const id = tokenIds.get(token);
      if (id === undefined) {
        tokenIds.set(token, lists.length);
        lists.push([i]);
      } else {
        const list = lists[id] as number[];
        if (list[list.length - 1] !== i) list.push(i);
      }
    }
  }
  const v = lists.length;
  ti.vocab = [...tokenIds.keys()].join('\n');
  ti.tokenStart = new Int32Array(v + 1);
  ti.postingStart = new Int32Array(v + 1);
  let at = 0;
  let total = 0;
  for (const [token, id] of tokenIds) {
    ti.tokenStart[id] = at;
    at += token.length + 1;
    ti.postingStart[id] = total;
    total += (lists[id] as number[]).length;
  }
  ti.tokenStart[v] = at;
  ti.postingStart[v] = total;
  ti.postings = new Int32Array(total);
  for (let id = 0; id < v; id++) ti.postings.set(lists[id] as number[], ti.postingStart[id]);
  ti.stamp = new Uint16Array(n);
  ti.marks = new Int32Array(n);
  ti.foundTokens = new Int32Array(v);
  ti.hitBuffer = new Int32Array(n);
  ti.scoreBuffer = new Int32Array(n);

  return ti;
}
