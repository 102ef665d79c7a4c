import { describe, expect, it } from 'vitest';
import { larkMethodOf } from '../../src/messengers/lark/lark-api.js';
import { slackMethodOf } from '../../src/messengers/slack/api-calls.js';

describe('the method a platform API call is counted under', () => {
  it("is Slack's method name, and an upload address is one label whatever its id", () => {
    expect(slackMethodOf('https://slack.com/api/chat.postMessage')).toBe('chat.postMessage');
    expect(slackMethodOf(new URL('http://127.0.0.1:9/api/files.completeUploadExternal'))).toBe(
      'files.completeUploadExternal',
    );
    expect(slackMethodOf('https://files.slack.com/upload/v1/CwABAAAAXgo')).toBe('upload');
    expect(slackMethodOf('https://slack.com/api/chat.postMessage%0Aevil')).toBe('other');
  });

  it("is Lark's verb and path with message, chat, user and file ids taken out", () => {
    expect(larkMethodOf('post', 'https://open.feishu.cn/open-apis/im/v1/messages?receive_id_type=chat_id')).toBe(
      'POST im/v1/messages',
    );
    expect(larkMethodOf('PATCH', '/open-apis/im/v1/messages/om_dc13264520392913993dd051dba21dcf')).toBe(
      'PATCH im/v1/messages/:id',
    );
    expect(larkMethodOf('GET', '/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/members')).toBe(
      'GET im/v1/chats/:id/members',
    );
    expect(larkMethodOf('GET', '/open-apis/im/v1/files/file_v2_7d1a8f0e-3b2c-4e5f/download')).toBe(
      'GET im/v1/files/:id/download',
    );
    // Names with underscores and no digits are Lark's own words, kept.
    expect(larkMethodOf('POST', '/open-apis/auth/v3/app_access_token/internal')).toBe(
      'POST auth/v3/app_access_token/internal',
    );
    expect(larkMethodOf('POST', '/open-apis/auth/v3/tenant_access_token/internal')).toBe(
      'POST auth/v3/tenant_access_token/internal',
    );
  });
});
