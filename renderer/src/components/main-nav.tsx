import { t, type MessageKey } from '../i18n/t';
import type { ScreenId } from '../store/ui-slice';
import { useAppStore } from '../store/store-context';

/** One entry per screen; Installed, Doctor and Settings join this list when they exist. */
const ITEMS: { screen: ScreenId; label: MessageKey }[] = [
  { screen: 'key', label: 'nav.key' },
  { screen: 'catalog', label: 'nav.catalog' },
  { screen: 'entitlements', label: 'nav.entitlements' },
];

export function MainNav() {
  const screen = useAppStore((s) => s.ui.screen);
  const navigate = useAppStore((s) => s.ui.navigate);
  return (
    <nav className="app-nav" aria-label={t('nav.label')}>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.screen}>
            <a
              href={`#${item.screen}`}
              className="app-nav__link"
              aria-current={screen === item.screen ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(item.screen);
              }}
            >
              {t(item.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
