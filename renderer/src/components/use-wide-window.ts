import { useSyncExternalStore } from 'react';

/** The narrowest window (CSS px) where a list and its details fit side by side. */
export const TWO_PANE_MIN_WIDTH = 900;

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

function isWide(): boolean {
  return window.innerWidth >= TWO_PANE_MIN_WIDTH;
}

/** Whether the window is wide enough for two panes, following resizes. */
export function useWideWindow(): boolean {
  return useSyncExternalStore(subscribe, isWide);
}
