import { useId, type ReactNode } from 'react';

interface TitledSectionProps {
  /** The section's class (a BEM block); its heading's is `${block}__title`. */
  block: string;
  /** More classes for the section (e.g. `box`). */
  className?: string;
  /** h2 for a screen's sections, h3 for a part of one. */
  level?: 2 | 3;
  title: string;
  testId: string;
  children: ReactNode;
}

/** A section named by its heading (aria-labelledby), so assistive technologies list it as a region. */
export function TitledSection({ block, className, level = 2, title, testId, children }: TitledSectionProps) {
  const titleId = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={className ? `${block} ${className}` : block} aria-labelledby={titleId} data-testid={testId}>
      <Heading id={titleId} className={`${block}__title`}>
        {title}
      </Heading>
      {children}
    </section>
  );
}
