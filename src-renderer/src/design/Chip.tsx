import type { ReactNode } from 'react';

/** A state or a fact in a word, coloured by tone (see the tone-* classes in components.css). */
export function Chip({
  tone,
  plain = false,
  className = '',
  children,
}: {
  tone: string;
  plain?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <span className={`chip tone-${tone}${plain ? ' plain' : ''} ${className}`.trim()}>
      {children}
    </span>
  );
}
