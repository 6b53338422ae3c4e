/** Rules of the compact density: EARLY_SCRIPT names the density on <html> (`data-early`). */
const C = "[data-early='compact'] .catalog-early";

/**
 * The served first screen's own styles (shared/early-rows.ts), inline at the end of the page's
 * <head> so that the frame paints before the app's stylesheet arrives (that link sits in <body>,
 * after the frame). Allowed by its hash in the browser shell's CSP (`EARLY_STYLE_HASH`). The frame
 * shows only once EARLY_SCRIPT marked <html> (the address opens the catalogue's list): elsewhere
 * it is `display: none`, neither shown nor announced, also once the app's `.app` rule applies.
 * Each rule is scoped to `.catalog-early` and repeats what the app's styles give the same elements
 * (theme.css, app.css, boxes.css, density.css, catalog-screen.css, early.css), more specific than
 * those: the frame looks and sits the same before and after the app's stylesheet applies.
 * e2e/specs/early-rows.spec.ts compares the frame's boxes and colours before and after it: change
 * these rules with those files.
 */
export const EARLY_STYLE = [
  ':root{color-scheme:light dark;',
  "--font:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Ubuntu,Cantarell,sans-serif;",
  "--font-mono:ui-monospace,'SFMono-Regular','DejaVu Sans Mono',Menlo,Consolas,monospace;",
  '--bg:light-dark(#f3f4f7,#111418);--surface:light-dark(#ffffff,#1b1f24);--text:light-dark(#1a1d21,#e9ecef);',
  '--text-muted:light-dark(#4a5360,#b2bac4);--border:light-dark(#7c8593,#6f7986);--radius:6px;',
  '--tier-free-text:light-dark(#0f6b2f,#8be0a8);--tier-free-bg:light-dark(#e7f5ec,#12301f);',
  '--tier-registered-text:light-dark(#3a4350,#d0d6de);--tier-registered-bg:light-dark(#eef0f3,#262b32);',
  '--tier-basic-text:light-dark(#0b4f9e,#9cc3ff);--tier-basic-bg:light-dark(#e8f1fd,#13253f);',
  '--tier-standard-text:light-dark(#5b2a86,#d7b4ff);--tier-standard-bg:light-dark(#f3e8fd,#2d1a40);',
  '--tier-advanced-text:light-dark(#6e4300,#ffd27a);--tier-advanced-bg:light-dark(#fff3d6,#3a2a06)}',
  ":root[data-theme='light']{color-scheme:light}",
  ":root[data-theme='dark']{color-scheme:dark}",
  'html,body{margin:0;background:var(--bg);color:var(--text);font-family:var(--font);font-size:16px;line-height:1.5}',
  // Shown only when the page's script marked <html> (on #catalog), also once `.app`'s display applies.
  'html:not([data-early]) .catalog-early{display:none}',
  '.catalog-early,.catalog-early *{box-sizing:border-box}',
  ".catalog-early{display:grid;grid-template-columns:14rem 1fr;grid-template-rows:auto 1fr;grid-template-areas:'header header' 'nav main';min-height:100vh}",
  '.catalog-early .app-header{grid-area:header;display:flex;align-items:center;gap:1rem;min-height:55px;padding:.75rem 1.25rem;background:var(--surface);border-bottom:1px solid var(--border)}',
  '.catalog-early .app-header__brand{margin:0;font-weight:700;font-size:1.15rem}',
  '.catalog-early .app-nav{grid-area:nav;padding:1rem .75rem;border-right:1px solid var(--border)}',
  '.catalog-early .app-main{grid-area:main;min-width:0;padding:1.5rem 2rem 3rem;max-width:76rem}',
  `${C} .app-main{padding:1rem 1.25rem 2rem}`,
  '.catalog-early__head{height:521px}',
  `${C} .catalog-early__head{height:223px}`,
  `${C} .catalog-early__head--tags{height:253.5px}`,
  '.catalog-early .box{border:1px solid var(--border);border-radius:var(--radius);background:var(--surface)}',
  '.catalog-early .scroll-box{position:relative;overflow:auto;overscroll-behavior:contain}',
  '.catalog-early .catalog-list{height:max(22rem,calc(100vh - 26rem))}',
  `${C} .catalog-list{height:max(16rem,calc(100vh - 21rem))}`,
  '.catalog-early .catalog-list__inner{position:relative;width:100%}',
  '.catalog-early .catalog-row{position:relative;height:96px;display:grid;grid-template-columns:40px minmax(0,1fr) minmax(9rem,auto);gap:.25rem .9rem;align-items:start;padding:.6rem .9rem;border-bottom:1px solid var(--border);overflow:hidden;contain:strict}',
  `${C} .catalog-row{height:52px;grid-template-columns:28px minmax(0,1fr) minmax(9rem,auto);padding-top:.3rem;padding-bottom:.3rem;align-items:center}`,
  '.catalog-early .catalog-row p{margin:0}',
  '.catalog-early .catalog-row__main{min-width:0}',
  '.catalog-early .catalog-row__title,.catalog-early .catalog-row__description{overflow:hidden;white-space:nowrap;text-overflow:ellipsis}',
  '.catalog-early .catalog-row__name{font-weight:700}',
  '.catalog-early .catalog-row__key{font-family:var(--font-mono);font-size:.85em;color:var(--text-muted)}',
  '.catalog-early .catalog-row__description{font-size:.95rem}',
  '.catalog-early .catalog-row__side{display:flex;flex-direction:column;align-items:flex-end;gap:.3rem;text-align:right;font-size:.875rem}',
  `${C} .catalog-row__side{gap:.1rem;font-size:.8rem}`,
  '.catalog-early .catalog-row__badges{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:.3rem}',
  '.catalog-early .plugin-logo{width:40px;height:40px;border-radius:var(--radius);display:grid;place-items:center;color:#ffffff;font-weight:700;font-size:.95rem;user-select:none}',
  `${C} .plugin-logo{width:28px;height:28px;font-size:.75rem}`,
  '.catalog-early .tier-badge{display:inline-block;padding:.05rem .6rem;border-radius:999px;border:1px solid currentColor;font-size:.8rem;font-weight:700;white-space:nowrap}',
  '.catalog-early .tier-badge--free{color:var(--tier-free-text);background:var(--tier-free-bg)}',
  '.catalog-early .tier-badge--registered{color:var(--tier-registered-text);background:var(--tier-registered-bg)}',
  '.catalog-early .tier-badge--basic{color:var(--tier-basic-text);background:var(--tier-basic-bg)}',
  '.catalog-early .tier-badge--standard{color:var(--tier-standard-text);background:var(--tier-standard-bg)}',
  '.catalog-early .tier-badge--advanced,.catalog-early .tier-badge--other{color:var(--tier-advanced-text);background:var(--tier-advanced-bg)}',
  "@media (max-width:40rem){.catalog-early{grid-template-columns:1fr;grid-template-areas:'header' 'nav' 'main'}",
  '.catalog-early .app-nav{border-right:0;border-bottom:1px solid var(--border)}.catalog-early .app-header{flex-wrap:wrap}}',
].join('');
