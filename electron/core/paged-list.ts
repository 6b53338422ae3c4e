import { AdaptiveWindow, type Trouble } from './adaptive-window';

/** One page as its fetcher got it. */
export interface PageAnswer {
  items: unknown[];
  /** The list's length when the answer says it (`Content-Range: a-b/total`), else null. */
  total: number | null;
}

export interface PageHooks {
  /** Aborted when the page is no longer wanted (past the end of the list, or past a failed page). */
  signal: AbortSignal;
  /** To call when an attempt failed and the page is tried again. */
  onRetry: (trouble: Trouble) => void;
}

export interface PagedListOptions<T> {
  pageSize: number;
  /** Most pages in flight at once: the adaptive window never goes above it. */
  maxInFlight: number;
  /** Pages in flight when the window opens, after the first page. */
  initialInFlight: number;
  /** Fetches page `page` (0-based), retries included; throws when the page cannot be had. */
  fetch: (page: number, hooks: PageHooks) => Promise<PageAnswer>;
  /** Turns a page's items into what the caller keeps; called once per page, as it arrives. */
  read: (items: unknown[]) => T;
  /** Whether the failure of a page is the end of the list after all (`previous`: the length of the page before). */
  failureEndsList: (error: unknown, previous: number) => boolean;
  /** Milliseconds from any fixed origin (the window's clock). */
  now: () => number;
}

export interface PagedList<T> {
  /** What `read` made of each page, in page order, up to the end (or the failed page). */
  pages: T[];
  complete: boolean;
  failedPage: number | null;
  /** What the failed page threw. */
  error: unknown;
  /** Pages asked for (retries not counted). */
  requests: number;
}

/**
 * GLPI's paging loop (page 0, 1, 2, … until an empty page; a page that fails its attempts
 * truncates the list) with several pages in flight, giving the list GLPI's sequential loop builds.
 *
 * The first two pages go together: for a list of one page (a small catalogue, a tag's plugins)
 * they are the two requests GLPI's loop makes, one after the other, so the list comes in
 * one round trip instead of two; only an empty list costs a request GLPI would not make (cancelled
 * once the empty page arrives). Then pages are issued in order, as many at once as the adaptive
 * window allows; an answer frees its slot (the next page goes out) before its items are read, so
 * reading overlaps the pages still travelling and nothing is left to read at the end. Issuing
 * stops where the list probably ends: after the page following a short one, or after the page
 * following the total the server announced, unless pages keep coming non-empty (GLPI reads on
 * until an empty page). An empty or failed page is the end for sure: pages in flight past it are
 * cancelled. The call returns once every request it started has settled.
 */
export async function fetchPagedList<T>(o: PagedListOptions<T>): Promise<PagedList<T>> {
  const lengths: number[] = [];
  const read = new Map<number, T>();
  const failures = new Map<number, unknown>();
  const inFlight = new Map<number, AbortController>();
  const window = new AdaptiveWindow({ initial: o.initialInFlight, max: o.maxInFlight, now: o.now });
  let requests = 0;
  let next = 0;
  let end = Infinity; // the first page known to be past the list (after an empty or a failed page)
  let announced = Infinity; // the first page past the total the server announced, if it did
  let shortAt = Infinity; // the first short page
  let highest = -1; // the last page that brought records
  const bugs: unknown[] = []; // a `read` that threw: rethrown once everything has settled
  let wake: () => void = () => undefined;

  const endAt = (page: number) => {
    if (page >= end) return;
    end = page;
    for (const [p, controller] of inFlight) if (p >= end) controller.abort();
  };
  const issueUpTo = () => Math.min(end, Math.max(Math.min(announced, shortAt + 2), highest + 2));
  const pump = () => {
    while (inFlight.size < window.limit && next < issueUpTo()) launch(next++);
  };
  const arrived = (page: number, answer: PageAnswer, sentAt: number, retried: boolean) => {
    const n = answer.items.length;
    lengths[page] = n;
    if (page === 0 && answer.total !== null) announced = Math.ceil(answer.total / o.pageSize) + 1;
    if (n === 0) endAt(page + 1);
    else highest = Math.max(highest, page);
    if (n > 0 && n < o.pageSize) shortAt = Math.min(shortAt, page);
    window.answered(n, retried ? null : o.now() - sentAt, sentAt);
    pump();
    read.set(page, o.read(answer.items));
  };
  function launch(page: number) {
    const controller = new AbortController();
    inFlight.set(page, controller);
    requests++;
    let retried = false;
    const sentAt = o.now();
    const onRetry = (trouble: Trouble) => {
      retried = true;
      window.troubled(trouble, sentAt);
    };
    void o.fetch(page, { signal: controller.signal, onRetry }).then(
      (answer) => {
        inFlight.delete(page);
        try {
          if (page < end) arrived(page, answer, sentAt, retried);
        } catch (error) {
          bugs.push(error);
          endAt(0);
        }
        wake();
      },
      (error: unknown) => {
        inFlight.delete(page);
        if (page < end) {
          failures.set(page, error);
          window.troubled('failed', sentAt);
          endAt(page + 1);
        }
        wake();
      },
    );
  }

  launch(next++);
  launch(next++);
  for (;;) {
    await new Promise<void>((resolve) => (wake = resolve));
    pump();
    if (inFlight.size === 0) break;
  }
  if (bugs.length > 0) throw bugs[0];
  if (failures.has(0)) throw failures.get(0);

  const pages: T[] = [];
  for (let page = 0; ; page++) {
    if (lengths[page] === 0) break;
    if (read.has(page)) {
      pages.push(read.get(page) as T);
      continue;
    }
    const error = failures.get(page);
    if (o.failureEndsList(error, lengths[page - 1] ?? 0)) break;
    return { pages, complete: false, failedPage: page, error, requests };
  }
  return { pages, complete: true, failedPage: null, error: null, requests };
}
