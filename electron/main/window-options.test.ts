import { describe, expect, it } from 'vitest';
import { createWindowOptions, MIN_HEIGHT, MIN_WIDTH } from './window-options';

describe('createWindowOptions', () => {
  const options = createWindowOptions('/app/dist/preload/preload.cjs');
  const prefs = options.webPreferences ?? {};

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['spellcheck', false],
    ['webviewTag', false],
    ['navigateOnDragDrop', false],
  ] as const)('sets %s to %s explicitly', (flag, value) => {
    expect(Object.hasOwn(prefs, flag)).toBe(true);
    expect(prefs[flag]).toBe(value);
  });

  it('never enables Blink features and loads our preload only', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs.preload).toBe('/app/dist/preload/preload.cjs');
  });

  it('is titled Marketdesk, hidden until ready-to-show, with a minimum size', () => {
    expect(options.title).toBe('Marketdesk');
    expect(options.show).toBe(false);
    expect(options.minWidth).toBe(MIN_WIDTH);
    expect(options.minHeight).toBe(MIN_HEIGHT);
  });

  it('uses saved bounds but never below the minimum size', () => {
    const placed = createWindowOptions('/p', { x: 10, y: 20, width: 1400, height: 900 });
    expect(placed).toMatchObject({ x: 10, y: 20, width: 1400, height: 900 });
    const tiny = createWindowOptions('/p', { width: 100, height: 100 });
    expect(tiny.width).toBe(MIN_WIDTH);
    expect(tiny.height).toBe(MIN_HEIGHT);
    expect(tiny).not.toHaveProperty('x');
  });
});
