import type { types } from '@slack/bolt';
import { condenseItems, type HomeItem, type HomeView } from '../../shared/presenters/home.presenter.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { boldFirstLine, fallbackText, mrkdwn, plainText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

/** The App Home tab: a summary, then each section with a button row under every lead. */
export function buildHomeView(view: HomeView): types.HomeView {
  return { type: 'home', blocks: viewBlocks(view, SLACK_LIMITS.viewBlocks) };
}

/** The same view as a message (a digest DM), with its text for notifications. */
export function buildViewMessage(view: HomeView): { text: string; blocks: KnownBlock[] } {
  return {
    text: fallbackText(`${view.title} · ${view.summary}`),
    blocks: viewBlocks(view, SLACK_LIMITS.messageBlocks),
  };
}

function viewBlocks(view: HomeView, maxBlocks: number): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(view.title, SLACK_LIMITS.headerText) },
    { type: 'context', elements: [mrkdwn(view.summary)] },
  ];
  for (const section of view.sections) {
    blocks.push({ type: 'divider' }, { type: 'section', text: boldFirstLine([section.heading]) });
    if (section.empty) blocks.push({ type: 'context', elements: [mrkdwn(section.empty)] });
    blocks.push(...itemBlocks(section.items));
    if (section.more) blocks.push({ type: 'context', elements: [mrkdwn(section.more)] });
  }
  return fitted(blocks, maxBlocks, view.cut);
}

/** A section per item with buttons (and its button row); lines without buttons share sections. */
function itemBlocks(items: readonly HomeItem[]): KnownBlock[] {
  return condenseItems(items, SLACK_LIMITS.sectionText).flatMap((group): KnownBlock[] => {
    if (group.kind === 'lines') return [{ type: 'section', text: mrkdwn(group.text) }];
    const { item } = group;
    return [
      { type: 'section', text: mrkdwn(item.text) },
      {
        type: 'actions',
        elements: item.buttons.slice(0, SLACK_LIMITS.actionsElements).map((b) => ({
          type: 'button' as const,
          action_id: b.actionId,
          value: b.value.slice(0, SLACK_LIMITS.buttonValue),
          text: plainText(b.label, SLACK_LIMITS.buttonText),
        })),
      },
    ];
  });
}

/** Within `max` blocks: past it, the last block says the rest is cut and where to see it. */
function fitted(blocks: KnownBlock[], max: number, cut: string): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  // A button row whose section was cut off would be a row of unlabelled buttons.
  let kept = blocks.slice(0, max - 1);
  if (kept.at(-1)?.type === 'section' && blocks[max - 1]?.type === 'actions') kept = kept.slice(0, -1);
  return [...kept, { type: 'context', elements: [mrkdwn(cut)] }];
}
