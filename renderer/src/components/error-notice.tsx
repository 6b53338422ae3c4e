import { t } from '../i18n/t';

interface ErrorNoticeProps {
  /** What failed, the error's message in it. */
  lead: string;
  /** The error's fix, when it has one. */
  fix?: string | undefined;
  id?: string | undefined;
  testId?: string;
  /** The error's code (data-code), for tests. */
  code?: string;
}

/** A failure, announced: what failed, then what to do when the error says. */
export function ErrorNotice({ lead, fix, id, testId, code }: ErrorNoticeProps) {
  return (
    <div className="notice notice--error" role="alert" id={id} data-testid={testId} data-code={code}>
      <p>{lead}</p>
      {fix && <p>{t('installed.fix', { fix })}</p>}
    </div>
  );
}
