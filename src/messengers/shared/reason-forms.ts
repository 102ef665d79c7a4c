import type { MessageKey } from '../../i18n/catalog.js';

/** The one-field forms that ask why (releasing a lead, asking for more time): their texts, for both messengers. */
export const REASON_FORMS = {
  release: { title: 'release_form.title', reason: 'release_form.reason', submit: 'release_form.submit' },
  extension: { title: 'extension_form.title', reason: 'extension_form.reason', submit: 'extension_form.submit' },
} as const satisfies Record<string, { title: MessageKey; reason: MessageKey; submit: MessageKey }>;

export type ReasonFormKind = keyof typeof REASON_FORMS;
