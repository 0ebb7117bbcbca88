import { type MessageParams, renderMessage } from '../../src/domain/messages';
import type { FindingView } from './api';
import { lang } from './i18n';

/**
 * A finding's message in the UI language: rendered from its template id and parameters (the same
 * catalogue the screener writes with), naming lexicon categories by the pipeline's labels; as
 * stored (English) when the finding has no template (a reviewer's, or an older item's) or its
 * parameters do not fit.
 */
export function findingMessage(
  f: Pick<FindingView, 'message' | 'messageId' | 'params'>,
  labels: Readonly<Record<string, string>> = {},
): string {
  const l = lang.get();
  if (l === 'en' || !f.messageId) return f.message;
  const category = (id: string) => (Object.hasOwn(labels, id) ? labels[id] : undefined);
  return (
    renderMessage(f.messageId, (f.params ?? undefined) as MessageParams | undefined, l, { category }) ??
    f.message
  );
}
