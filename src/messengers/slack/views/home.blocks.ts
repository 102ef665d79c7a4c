import type { types } from '@slack/bolt';
import type { HomeItem, HomeView } from '../../shared/presenters/home.presenter.js';
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

/**
 * A section per item with buttons (and its button row); items without buttons (lines of numbers)
 * share sections, as many lines as a section's text holds, so a long report takes few blocks.
 */
function itemBlocks(items: readonly HomeItem[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) blocks.push({ type: 'section', text: mrkdwn(lines.join('\n')) });
    lines = [];
  };
  for (const item of items) {
    if (item.buttons.length === 0) {
      if ([...lines, item.text].join('\n').length > SLACK_LIMITS.sectionText) flush();
      lines.push(item.text);
      continue;
    }
    flush();
    blocks.push({ type: 'section', text: mrkdwn(item.text) });
    blocks.push({
      type: 'actions',
      elements: item.buttons.slice(0, SLACK_LIMITS.actionsElements).map((b) => ({
        type: 'button' as const,
        action_id: b.actionId,
        value: b.value.slice(0, SLACK_LIMITS.buttonValue),
        text: plainText(b.label, SLACK_LIMITS.buttonText),
      })),
    });
  }
  flush();
  return blocks;
}

/** Within `max` blocks: past it, the last block says the rest is cut and where to see it. */
function fitted(blocks: KnownBlock[], max: number, cut: string): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  // A button row whose section was cut off would be a row of unlabelled buttons.
  let kept = blocks.slice(0, max - 1);
  if (kept.at(-1)?.type === 'section' && blocks[max - 1]?.type === 'actions') kept = kept.slice(0, -1);
  return [...kept, { type: 'context', elements: [mrkdwn(cut)] }];
}
