import type { ProfileSettings } from '../../shared/model';

/**
 * Puts the page in the theme the settings name: `data-theme="light|dark"` on <html>, or none to
 * follow the system (theme.css picks the colours from the colour scheme either way).
 */
export function applyTheme(theme: ProfileSettings['theme']): void {
  if (typeof document === 'undefined') return;
  const html = document.documentElement;
  if (theme === 'light' || theme === 'dark') {
    if (html.dataset.theme !== theme) html.dataset.theme = theme;
  } else if (html.dataset.theme !== undefined) {
    delete html.dataset.theme;
  }
}
