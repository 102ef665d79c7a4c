import type { types } from '@slack/bolt';
import type { FormField, FormView } from '../../shared/interaction.js';
import { plainText as plain, textMessage } from './slack-text.js';

/** The action id inside every input block: state values are read as values[field][VALUE]. */
export const INPUT_ACTION = 'value';

/** One form field as an input block; what was typed before is filled in again. */
export function inputBlock(field: FormField): types.KnownBlock {
  const options = (field.options ?? []).slice(0, 100).map((o) => ({ text: plain(o.label, 75), value: o.value }));
  const chosen = options.find((o) => o.value === field.initial);
  // What was typed comes back no longer than the input takes, or Slack refuses the view.
  const maxLength = field.kind === 'long_text' ? 2000 : 200;
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
          max_length: maxLength,
          ...(field.initial ? { initial_value: field.initial.slice(0, maxLength) } : {}),
        };
  return { type: 'input', block_id: field.id, optional: field.optional, label: plain(field.label, 2000), element };
}

/**
 * A form as a modal. Title, submit and close are limited to 24 characters; private_metadata
 * carries the lead or team back with the submission. Problems come back in the submission's ack.
 */
export function buildFormModal(form: FormView): types.ModalView {
  const about: types.KnownBlock[] = form.about ? [{ type: 'header', text: plain(form.about, 150) }] : [];
  return {
    type: 'modal',
    callback_id: form.slackView,
    title: plain(form.title, 24),
    submit: plain(form.submit, 24),
    close: plain(form.close, 24),
    private_metadata: JSON.stringify(form.carries),
    blocks: [...about, ...form.fields.map(inputBlock)],
  };
}

/** A form's problems as a submission's `errors`: each under its field, or under the first one. */
export function formErrors(form: FormView): Record<string, string> {
  const ids = new Set(form.fields.map((f) => f.id));
  const first = form.fields[0]?.id ?? 'name';
  const errors: Record<string, string> = {};
  for (const [field, problem] of Object.entries(form.errors)) {
    const block = ids.has(field) ? field : first;
    errors[block] = [errors[block], problem].filter(Boolean).join('; ');
  }
  return errors;
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
