import { vi, type Mock } from 'vitest';

export interface SavedFiles {
  /** What `URL.createObjectURL` received, in order. */
  blobs: Blob[];
  /** The download links clicked, in order. */
  clicked: HTMLAnchorElement[];
  create: Mock<(blob: Blob) => string>;
  revoke: Mock<(url: string) => void>;
  /** Puts URL, the link's click and the timers back. */
  restore: () => void;
}

/**
 * Captures what `saveFile` downloads: jsdom has no object URLs and must not follow the link. The
 * n-th object URL is `blob:marketdesk/<prefix>-<n>`; setTimeout is faked so the revoke can be
 * advanced to. Call `restore()` in a `finally`.
 */
export function captureSavedFiles(prefix = 'test'): SavedFiles {
  const blobs: Blob[] = [];
  const clicked: HTMLAnchorElement[] = [];
  const create = vi.fn((blob: Blob) => {
    blobs.push(blob);
    return `blob:marketdesk/${prefix}-${blobs.length}`;
  });
  const revoke = vi.fn((_url: string) => undefined);
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this);
  });
  // jsdom has neither: define them for the test, restore whatever was there.
  const saved = {
    createObjectURL: Object.getOwnPropertyDescriptor(URL, 'createObjectURL'),
    revokeObjectURL: Object.getOwnPropertyDescriptor(URL, 'revokeObjectURL'),
  };
  Object.defineProperty(URL, 'createObjectURL', { configurable: true, writable: true, value: create });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, writable: true, value: revoke });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  return {
    blobs,
    clicked,
    create,
    revoke,
    restore: () => {
      vi.useRealTimers();
      for (const [name, descriptor] of Object.entries(saved)) {
        if (descriptor) Object.defineProperty(URL, name, descriptor);
        else Reflect.deleteProperty(URL, name);
      }
      click.mockRestore();
    },
  };
}

/** A saved file's text, byte order mark kept (readAsText would drop it). */
export function readBlob(blob: Blob | undefined): Promise<string> {
  if (!blob) return Promise.reject(new Error('no blob'));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new TextDecoder('utf-8', { ignoreBOM: true }).decode(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsArrayBuffer(blob);
  });
}
