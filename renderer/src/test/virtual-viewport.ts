/**
 * jsdom lays nothing out, so a virtualizer sees a 0 px viewport and renders no row. This gives the
 * scroll containers of the virtualized lists (`.catalog-list`, `.entitlement-scroll`) a size, for
 * the duration of a test file, and a scrollTo that scrolls.
 */
export function installVirtualViewport(height = 960, width = 1000): void {
  const scrollers = '.catalog-list, .entitlement-scroll';
  const originalHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  const originalWidth = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
  const originalScrollTo = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollTo');
  const originalScrollHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollHeight');
  beforeAll(() => {
    // jsdom has no Element.scrollTo: move scrollTop and fire the scroll event a browser would.
    Object.defineProperty(HTMLElement.prototype, 'scrollTo', {
      configurable: true,
      writable: true,
      value(this: HTMLElement, options?: ScrollToOptions | number, y?: number) {
        const top = typeof options === 'number' ? y : options?.top;
        if (typeof top === 'number') this.scrollTop = Math.max(0, top);
        this.dispatchEvent(new Event('scroll'));
      },
    });
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.matches(scrollers) ? height : 0;
      },
    });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      get(this: HTMLElement) {
        return this.matches(scrollers) ? width : 0;
      },
    });
    // The virtualizer clamps scrolling to scrollHeight - clientHeight: the content's height.
    Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
      configurable: true,
      get(this: HTMLElement) {
        if (!this.matches(scrollers)) return 0;
        const inner = this.firstElementChild;
        const styled = inner instanceof HTMLElement ? parseFloat(inner.style.height) : NaN;
        return Number.isFinite(styled) ? styled : 10_000_000;
      },
    });
  });
  afterAll(() => {
    if (originalScrollHeight) Object.defineProperty(HTMLElement.prototype, 'scrollHeight', originalScrollHeight);
    else delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
    if (originalScrollTo) Object.defineProperty(HTMLElement.prototype, 'scrollTo', originalScrollTo);
    else delete (HTMLElement.prototype as { scrollTo?: unknown }).scrollTo;
    // jsdom defines both on Element.prototype: removing ours uncovers them again.
    if (originalHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', originalHeight);
    else delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
    if (originalWidth) Object.defineProperty(HTMLElement.prototype, 'clientWidth', originalWidth);
    else delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  });
}
