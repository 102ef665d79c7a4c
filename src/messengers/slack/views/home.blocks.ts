import type { types } from '@slack/bolt';
import type { HomeView } from '../../shared/presenters/home.presenter.js';
import { boldFirstLine, fallbackText, mrkdwn, plainText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

/** Slack shows at most 100 blocks in a view; the lists are cut well before that. */
const MAX_BLOCKS = 100;

/** The App Home tab: a summary, then each section with a button row under every lead. */
export function buildHomeView(view: HomeView): types.HomeView {
  return { type: 'home', blocks: viewBlocks(view) };
}

/** The same view as a message (a digest DM), with its text for notifications. */
export function buildViewMessage(view: HomeView): { text: string; blocks: KnownBlock[] } {
  return { text: fallbackText(`${view.title} · ${view.summary}`), blocks: viewBlocks(view) };
}

function viewBlocks(view: HomeView): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(view.title, 150) },
    { type: 'context', elements: [mrkdwn(view.summary)] },
  ];
  for (const section of view.sections) {
    blocks.push({ type: 'divider' }, { type: 'section', text: boldFirstLine([section.heading]) });
    if (section.empty) blocks.push({ type: 'context', elements: [mrkdwn(section.empty)] });
    for (const item of section.items) {
      blocks.push({ type: 'section', text: mrkdwn(item.text) });
      if (item.buttons.length > 0)
        blocks.push({
          type: 'actions',
          elements: item.buttons.map((b) => ({
            type: 'button' as const,
            action_id: b.actionId,
            value: b.value,
            text: plainText(b.label, 75),
          })),
        });
    }
    if (section.more) blocks.push({ type: 'context', elements: [mrkdwn(section.more)] });
  }
  return blocks.slice(0, MAX_BLOCKS);
}
