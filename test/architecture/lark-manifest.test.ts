import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LARK_CALLBACK_TYPES, LARK_EVENT_TYPES, larkEventHandlers } from '../../src/messengers/lark/handlers.js';
import { BOT_MENU } from '../../src/messengers/shared/action-ids.js';

const ROOT = join(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifests/lark-app.json'), 'utf8'));

function larkSources(dir = join(ROOT, 'src/messengers/lark')): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? larkSources(join(dir, e.name)) : readFileSync(join(dir, e.name), 'utf8')))
    .join('\n');
}

// The scope each API call the code makes needs (Lark's API reference, "权限要求").
const SCOPE_OF_CALL: Record<string, string> = {
  'im.v1.message.create': 'im:message:send_as_bot',
  'im.v1.message.patch': 'im:message:update',
  // 获取与上传图片或文件资源: an export's CSV is uploaded, then sent as a file message.
  'im.v1.file.create': 'im:resource',
};
// The scope each subscribed event needs to be delivered.
const SCOPES_OF_EVENT: Record<string, string[]> = {
  'im.message.receive_v1': ['im:message.p2p_msg:readonly', 'im:message.group_at_msg:readonly'],
  'application.bot.menu_v6': [],
};

describe('Lark app manifest', () => {
  const scopes: string[] = manifest.scopes.tenant.map((s: { scope: string }) => s.scope);
  const handlers = Object.keys(larkEventHandlers({} as never)).sort();

  it('subscribes exactly the events and callbacks the code handles (the SDK refuses unhandled ones)', () => {
    expect(manifest.events.subscribe).toEqual([...LARK_EVENT_TYPES]);
    expect(manifest.callbacks.subscribe).toEqual([...LARK_CALLBACK_TYPES]);
    expect([...manifest.events.subscribe, ...manifest.callbacks.subscribe].sort()).toEqual(handlers);
  });

  it('asks for every scope the code needs and no other', () => {
    const source = larkSources();
    const calls = Object.keys(SCOPE_OF_CALL).filter((call) => source.includes(`client.${call}(`));
    expect(calls.sort()).toEqual(Object.keys(SCOPE_OF_CALL).sort());
    const called = [...source.matchAll(/client\.(im\.v1\.[a-zA-Z.]+)\(/g)].map((m) => m[1] as string);
    expect(called.filter((c) => !(c in SCOPE_OF_CALL))).toEqual([]);
    const needed = new Set([
      ...calls.map((c) => SCOPE_OF_CALL[c]),
      ...LARK_EVENT_TYPES.flatMap((e) => SCOPES_OF_EVENT[e] ?? []),
    ]);
    expect(scopes.sort()).toEqual([...needed].sort());
  });

  it('offers a bot menu whose keys the code answers, named in English and Chinese', () => {
    const keys = manifest.bot_menu.map((m: { event_key: string }) => m.event_key);
    expect(keys.sort()).toEqual(Object.values(BOT_MENU).sort());
    for (const item of manifest.bot_menu) expect(Object.keys(item.name).sort()).toEqual(['en_us', 'zh_cn']);
  });

  it('points callbacks at the route the server serves', () => {
    const route = readFileSync(join(ROOT, 'src/http/lark.route.ts'), 'utf8');
    for (const url of [manifest.events.request_url, manifest.callbacks.request_url]) {
      const path = new URL(url).pathname;
      expect(route).toContain(`'${path}'`);
    }
  });
});
