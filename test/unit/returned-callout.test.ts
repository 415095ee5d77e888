import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ReturnedCallout } from '../../renderer/src/features/workspace/ReturnedCallout';
import { formatDateTime } from '../../renderer/src/lib/format';

/**
 * The workspace's callout for an item a lead sent back: one status region saying who, when and
 * why, the lead's text escaped as text. (No DOM in this suite: rendered to markup.)
 */
describe('ReturnedCallout', () => {
  const returned = {
    reason: 'rebill this <b>please</b>; write off only the rounding',
    by: 'user-lead1',
    at: '2026-12-02T08:30:00.000Z',
  };

  it('says "Returned by <lead> on <date>: <reason>" in a status region', () => {
    const html = renderToStaticMarkup(createElement(ReturnedCallout, { returned }));
    expect(html).toMatch(/^<div[^>]*role="status"/);
    expect(html).toContain('data-testid="returned-callout"');
    const text = html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    expect(text).toContain(
      `Returned by user-lead1 on ${formatDateTime(returned.at)}: rebill this <b>please</b>; write off only the rounding`,
    );
    // The reason is the lead's free text: shown as text, never as markup.
    expect(html).not.toContain('<b>please</b>');
  });
});
