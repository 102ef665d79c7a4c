import type { types } from '@slack/bolt';
import { VIEW_IDS } from '../../shared/action-ids.js';
import type { FormField, NewLeadFormView } from '../../shared/presenters/new-lead-form.presenter.js';
import { plainText as plain, textMessage } from './slack-text.js';

/** The action id inside every input block: state values are read as values[field][VALUE]. */
export const INPUT_ACTION = 'value';

/** One form field as an input block; what was typed before is filled in again. */
export function inputBlock(field: FormField): types.KnownBlock {
  const options = (field.options ?? []).slice(0, 100).map((o) => ({ text: plain(o.label, 75), value: o.value }));
  const chosen = options.find((o) => o.value === field.initial);
  const element =
    field.kind === 'select'
      ? {
          type: 'static_select' as const,
          action_id: INPUT_ACTION,
          options,
          ...(chosen ? { initial_option: chosen } : {}),
        }
      : {
          type: 'plain_text_input' as const,
          action_id: INPUT_ACTION,
          multiline: field.kind === 'long_text',
          max_length: field.kind === 'long_text' ? 2000 : 200,
          ...(field.initial ? { initial_value: field.initial.slice(0, 2000) } : {}),
        };
  return { type: 'input', block_id: field.id, optional: field.optional, label: plain(field.label, 2000), element };
}

/** Modal title, submit and close are limited to 24 characters; private_metadata carries the team. */
export function buildNewLeadModal(view: NewLeadFormView): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW_IDS.newLeadModal,
    title: plain(view.title, 24),
    submit: plain(view.submit, 24),
    close: plain(view.close, 24),
    private_metadata: JSON.stringify({ team: view.team }),
    blocks: view.fields.map(inputBlock),
  };
}

export function buildResultModal(title: string, close: string, text: string): types.ModalView {
  return {
    type: 'modal',
    title: plain(title, 24),
    close: plain(close, 24),
    // A long answer (a lead's history) takes as many sections as it needs, as a message does.
    blocks: textMessage(text).blocks,
  };
}

/** A one-field form about one lead (why it is released, whom it goes to); private_metadata carries the lead. */
export function buildOneFieldModal(o: {
  callbackId: string;
  title: string;
  about: string;
  field: FormField;
  submit: string;
  close: string;
  leadId: number;
}): types.ModalView {
  return {
    type: 'modal',
    callback_id: o.callbackId,
    title: plain(o.title, 24),
    submit: plain(o.submit, 24),
    close: plain(o.close, 24),
    private_metadata: JSON.stringify({ lead: o.leadId }),
    blocks: [{ type: 'header', text: plain(o.about, 150) }, inputBlock(o.field)],
  };
}
