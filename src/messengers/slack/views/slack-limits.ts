/**
 * Slack's Block Kit limits, in one place: every view builder that can grow keeps to them by
 * condensing, paging or cutting with a "more" line, instead of having Slack refuse the message.
 * https://docs.slack.dev/reference/block-kit/blocks
 */
export const SLACK_LIMITS = {
  /** Blocks in a message (chat.postMessage, chat.update, response_url). */
  messageBlocks: 50,
  /** Blocks in a modal or the Home tab. */
  viewBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  selectOptions: 100,
  modalTitle: 24,
  /** A message's top-level text. */
  messageText: 40000,
} as const;
