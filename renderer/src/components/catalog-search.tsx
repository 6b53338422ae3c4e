import { useId, type Ref } from 'react';
import { t } from '../i18n/t';
import { MAX_SEARCH_LENGTH } from '../../../shared/saved-view';
import { useAppStore } from '../store/store-context';

interface CatalogSearchProps {
  inputRef: Ref<HTMLInputElement>;
  /** The list the search filters (aria-controls), and where ArrowDown goes. */
  listId: string;
  onArrowDown: () => void;
}

/** The search box. Every keystroke re-runs the query at once; saving the view waits for a pause. */
export function CatalogSearch({ inputRef, listId, onArrowDown }: CatalogSearchProps) {
  const text = useAppStore((s) => s.catalog.view.text);
  const setText = useAppStore((s) => s.catalog.setText);
  const id = useId();
  const helpId = useId();
  return (
    <div className="catalog-search">
      <label htmlFor={id} className="field-label">
        {t('catalog.search.label')}
      </label>
      <input
        ref={inputRef}
        id={id}
        className="field catalog-search__field"
        type="search"
        value={text}
        maxLength={MAX_SEARCH_LENGTH}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={helpId}
        aria-controls={listId}
        data-testid="catalog-search"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            if (text) setText('');
            else e.currentTarget.blur();
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            onArrowDown();
          }
        }}
      />
      <p id={helpId} className="help">
        {t('catalog.search.help')}
      </p>
    </div>
  );
}
