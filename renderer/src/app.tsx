import { useEffect, useRef } from 'react';
import { KeyBadge } from './components/key-badge';
import { LiveStatus } from './components/live-status';
import { MainNav } from './components/main-nav';
import { useUiLanguage } from './i18n/language';
import { t } from './i18n/t';
import { CatalogScreen } from './screens/catalog-screen';
import { DoctorScreen } from './screens/doctor-screen';
import { EntitlementsScreen } from './screens/entitlements-screen';
import { FleetScreen } from './screens/fleet-screen';
import { PlannerScreen } from './screens/planner-screen';
import { InstalledScreen } from './screens/installed-screen';
import { KeyScreen } from './screens/key-screen';
import { SettingsScreen } from './screens/settings-screen';
import { useAppStore, useAppStoreApi } from './store/store-context';

/** The app frame: header with the key badge, navigation, the current screen, a live region. */
export function App() {
  const store = useAppStoreApi();
  const screen = useAppStore((s) => s.ui.screen);
  const info = useAppStore((s) => s.ui.info);
  const view = useAppStore((s) => s.ui.view);
  const mainRef = useRef<HTMLElement>(null);
  // The language setting, applied while the app is on screen; every screen renders again in it.
  useUiLanguage(useAppStore((s) => s.ui.settings?.language ?? null));

  useEffect(() => {
    // Once per store, even under StrictMode's double effects: hydrate flips load to 'loading' at once.
    if (store.getState().key.load.status === 'idle') void store.getState().key.hydrate();
    // The nav badge counts updates on every screen.
    if (store.getState().installed.loadState.status === 'idle') void store.getState().installed.load();
  }, [store]);

  return (
    <div className={`app app--${view.density}${view.twoPane ? ' app--two-pane' : ''}`}>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <p className="app-header__brand">{t('app.name')}</p>
        {info && (
          <p className="app-header__profile">
            {t('app.context', { profile: info.profile, shell: t(`app.shell.${info.shell}`) })}
          </p>
        )}
        <KeyBadge />
      </header>
      <MainNav />
      <main id="main" ref={mainRef} className={`app-main app-main--${screen}`} tabIndex={-1}>
        {screen === 'key' && <KeyScreen />}
        {screen === 'catalog' && <CatalogScreen />}
        {screen === 'entitlements' && <EntitlementsScreen />}
        {screen === 'installed' && <InstalledScreen />}
        {screen === 'fleet' && <FleetScreen />}
        {screen === 'planner' && <PlannerScreen />}
        {screen === 'doctor' && <DoctorScreen />}
        {screen === 'settings' && <SettingsScreen />}
      </main>
      <LiveStatus />
    </div>
  );
}
