import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ACTION_IDS, SLASH_COMMAND, VIEW_IDS } from '../../src/messengers/shared/action-ids.js';
import { KNOWN_SLACK_IDS, registerListeners } from '../../src/messengers/slack/app.js';
import { BOT_SCOPES } from '../../src/messengers/slack/install-flow.js';
import type { SlackListenerDeps } from '../../src/messengers/slack/listeners/deps.js';

const ROOT = join(import.meta.dirname, '../..');
const SCHEMA = join(ROOT, '../shared/data/slack-manifest.schema.1.0.0.json');
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifests/slack.manifest.json'), 'utf8'));
const schemaPresent = existsSync(SCHEMA);

function slackSources(dir = join(ROOT, 'src/messengers/slack')): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? slackSources(join(dir, e.name)) : readFileSync(join(dir, e.name), 'utf8')))
    .join('\n');
}

// Bot scopes each Web API method the code calls needs.
const SCOPE_OF_METHOD: Record<string, string | string[]> = {
  // Finding a card an interrupted attempt posted: public and private channels.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  // Slack's reference: "No scopes required" (opening needs only a trigger_id).
  'views.open': '',
  // Publishing a user's App Home needs no scope either, only the home tab turned on.
  'views.publish': '',
  // An export is uploaded into the person's DM with the app, which conversations.open finds.
  'conversations.open': 'im:write',
  'files.uploadV2': 'files:write',
};

describe('Slack app manifest', () => {
  it('is valid against Slack’s published manifest schema', (ctx) => {
    if (!schemaPresent) return ctx.skip('did not run: ../shared/data (Slack’s manifest schema) is absent');
    const ajv = new Ajv({ strict: false, allErrors: true });
    // Only "uri" is used as a format in the schema; check it with the URL parser.
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check fails on a broken manifest, so it can fail', (ctx) => {
    if (!schemaPresent) return ctx.skip('did not run: ../shared/data (Slack’s manifest schema) is absent');
    const ajv = new Ajv({ strict: false });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const broken = structuredClone(manifest);
    broken.display_information.name = 'x'.repeat(36);
    expect(validate(broken)).toBe(false);
  });

  it('declares exactly the slash commands the code registers', () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    const registered = [...slackSources().matchAll(/app\.command\(([A-Z_]+)/g)].map((m) => m[1]);
    expect(registered).toEqual(['SLASH_COMMAND']);
    expect(declared).toEqual([SLASH_COMMAND]);
  });

  it('declares exactly the global shortcuts the code registers', () => {
    const registered = [...slackSources().matchAll(/app\.shortcut\(VIEW_IDS\.(\w+)/g)].map(
      (m) => VIEW_IDS[m[1] as keyof typeof VIEW_IDS],
    );
    const declared = manifest.features.shortcuts.map(
      (s: { callback_id: string; type: string }) => `${s.type}:${s.callback_id}`,
    );
    expect(declared).toEqual(registered.map((id) => `global:${id}`));
    expect(registered).toEqual([VIEW_IDS.newLeadShortcut]);
  });

  it('subscribes to exactly the events the code listens for, with the home tab on', () => {
    const registered = [...slackSources().matchAll(/app\.event\((\w+)/g)].map((m) => m[1]);
    expect(registered.sort()).toEqual(['HOME_EVENT', 'MESSAGE_EVENT', 'TOKENS_REVOKED_EVENT', 'UNINSTALLED_EVENT']);
    // The app's DMs arrive as `message` events of channel type im: the manifest names them message.im.
    const subscribed = [...KNOWN_SLACK_IDS.events].map((e) => (e === 'message' ? 'message.im' : e));
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(subscribed);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    // The Messages tab is open for typing because what is typed there is answered.
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(subscribed).toContain('message.im');
  });

  it('enables interactivity for the buttons the code handles, and handles exactly the shared ids', () => {
    // The adapter's listeners registered on a recorder: every id it listens for, by kind.
    const registered: Record<string, string[]> = {};
    const recorder = new Proxy(
      {},
      {
        get: (_, kind: string) => (id: unknown) => {
          registered[kind] = [...(registered[kind] ?? []), String(id)];
        },
      },
    );
    registerListeners(recorder as App, {} as SlackListenerDeps);
    // A button or form without a row in the shared table (INTERACTIONS, by ACTION_IDS and view ids) fails here.
    expect(registered.action?.sort()).toEqual(Object.values(ACTION_IDS).sort());
    expect(registered.view?.sort()).toEqual([...KNOWN_SLACK_IDS.views].sort());
    expect(registered.command).toEqual([...KNOWN_SLACK_IDS.commands]);
    expect(registered.shortcut).toEqual([...KNOWN_SLACK_IDS.shortcuts]);
    expect(registered.event?.sort()).toEqual([...KNOWN_SLACK_IDS.events].sort());
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('has the install flow ask for the same bot scopes, and come back to its redirect route', () => {
    expect([...BOT_SCOPES]).toEqual(manifest.oauth_config.scopes.bot);
    expect(manifest.oauth_config.redirect_urls.map((u: string) => new URL(u).pathname)).toEqual([
      '/slack/oauth_redirect',
    ]);
    // An Enterprise Grid organisation may install it once for all its workspaces.
    expect(manifest.settings.org_deploy_enabled).toBe(true);
  });

  it('asks for exactly the bot scopes the code needs', () => {
    const methods = new Set(
      [...slackSources().matchAll(/client\.(chat\.\w+|views\.\w+|users\.\w+|conversations\.\w+|files\.\w+)/g)].map(
        (m) => m[1] ?? '',
      ),
    );
    expect(methods.size).toBeGreaterThan(0);
    const needed = new Set(['commands']);
    for (const method of methods) {
      const scope = SCOPE_OF_METHOD[method];
      expect(scope, `no scope known for ${method}: add it to SCOPE_OF_METHOD`).toBeDefined();
      for (const s of [scope ?? ''].flat()) if (s) needed.add(s);
    }
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
