import type { ReactNode } from 'react';

/**
 * A callout's title as bold text, not Blueprint's `title` prop: that renders an h5 wherever the
 * callout sits, which breaks the page's heading order (axe heading-order) under an h2 or h3.
 */
export function CalloutTitle({ children }: { children: ReactNode }) {
  return <div className="ld-callout-title">{children}</div>;
}
