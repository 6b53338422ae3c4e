import { t, type MessageKey } from '../i18n/t';
import type { ScreenId } from '../store/ui-slice';
import { useAppStore } from '../store/store-context';

/** One entry per screen. */
const ITEMS: { screen: ScreenId; label: MessageKey }[] = [
  { screen: 'key', label: 'nav.key' },
  { screen: 'catalog', label: 'nav.catalog' },
  { screen: 'entitlements', label: 'nav.entitlements' },
  { screen: 'installed', label: 'nav.installed' },
  { screen: 'fleet', label: 'fleet.nav' },
  { screen: 'planner', label: 'planner.nav' },
  { screen: 'doctor', label: 'doctor.nav' },
  { screen: 'settings', label: 'settings.nav' },
];

export function MainNav() {
  const screen = useAppStore((s) => s.ui.screen);
  const navigate = useAppStore((s) => s.ui.navigate);
  const updates = useAppStore((s) => s.installed.view?.updates ?? 0);
  return (
    <nav className="app-nav" aria-label={t('nav.label')}>
      <ul>
        {ITEMS.map((item) => {
          // The badge is read as part of the name: "Installed, 3 updates" (one string, every engine).
          const badge = item.screen === 'installed' && updates > 0;
          return (
            <li key={item.screen}>
              <a
                href={`#${item.screen}`}
                className="app-nav__link"
                aria-current={screen === item.screen ? 'page' : undefined}
                aria-label={badge ? `${t(item.label)}${t('nav.updates', { count: updates })}` : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(item.screen);
                }}
              >
                {t(item.label)}
                {badge && (
                  <span className="app-nav__badge" aria-hidden="true" data-testid="nav-updates">
                    {updates}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
