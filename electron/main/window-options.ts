import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1200, height: 800 };
export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 560;

/**
 * The main window: every renderer protection on, set explicitly rather than trusting defaults
 * that changed across Electron majors (docs/reliability-checklist.md SEC-1). Hidden until
 * `ready-to-show` so no blank frame flashes.
 */
export function createWindowOptions(
  preloadPath: string,
  bounds: WindowBounds = DEFAULT_BOUNDS,
): BrowserWindowConstructorOptions {
  return {
    title: 'Marketdesk',
    // Only a complete position is used; a half one would put the window at 0 on the other axis.
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: Math.max(bounds.width, MIN_WIDTH),
    height: Math.max(bounds.height, MIN_HEIGHT),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
