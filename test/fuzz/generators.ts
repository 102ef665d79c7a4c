/**
 * Seeded generators of hostile input. The same seed gives the same inputs, so a failing case is
 * reproduced by its seed and index.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff lone low',
  '\u202e reversed',
  '\u0007\u001b[31mred',
  '<!channel>',
  '<!here|here>',
  '<@U0000>',
  '<#C0ALPHA>',
  '<https://evil.example|click>',
  '*bold* _it_ ~s~ `code`',
  '&amp;&lt;&gt;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, as typed by an attacker
  '${{7*7}}',
  "'; DROP TABLE lead; --",
  '__proto__',
  'constructor',
  'L-',
  'L-0',
  '#-1',
  '99999999999',
  '2147483648',
  '1e309',
  'NaN',
  '😀'.repeat(50),
  '张伟 有限公司',
  'x'.repeat(5000),
  '\n\n\n',
  '\t',
];

const WORDS = ['log', 'mine', 'help', 'new', 'add', 'call', 'email', 'visit', 'fax', 'L-1', '42', 'my', 'LOG', 'lgo'];

export function nastyString(rng: Rng): string {
  if (rng.chance(0.4)) return rng.pick(NASTY_STRINGS);
  const length = rng.int(rng.chance(0.1) ? 3000 : 40);
  let out = '';
  for (let i = 0; i < length; i++) {
    const roll = rng.next();
    if (roll < 0.6) out += String.fromCharCode(32 + rng.int(95));
    else if (roll < 0.8) out += String.fromCharCode(rng.int(0x10000));
    else if (roll < 0.9) out += String.fromCharCode(rng.int(32));
    else out += rng.pick(NASTY_STRINGS);
  }
  return out;
}

/** Text after `/lead`: command words mixed with hostile strings. */
export function slashText(rng: Rng): string {
  const parts: string[] = [];
  const count = 1 + rng.int(5);
  for (let i = 0; i < count; i++) parts.push(rng.chance(0.6) ? rng.pick(WORDS) : nastyString(rng));
  return parts.join(rng.pick([' ', '  ', '\t', '\n']));
}

/** Any JSON value, nested a few levels. */
export function anyJson(rng: Rng, depth = 0): unknown {
  const roll = rng.int(depth > 2 ? 6 : 8);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308]);
    case 3:
    case 4:
    case 5:
      return nastyString(rng);
    case 6:
      return Array.from({ length: rng.int(4) }, () => anyJson(rng, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) out[nastyString(rng).slice(0, 20) || 'k'] = anyJson(rng, depth + 1);
      return out;
    }
  }
}

/** Replaces, removes or adds one field somewhere in an object tree. */
export function mutate(rng: Rng, value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(value);
  const mutations = 1 + rng.int(3);
  for (let i = 0; i < mutations; i++) {
    const key = rng.pick(keys);
    const roll = rng.int(4);
    if (roll === 0) delete copy[key];
    else if (roll === 1) copy[key] = anyJson(rng);
    else if (roll === 2) copy[key] = nastyString(rng);
    else copy[rng.pick(['__proto__', 'constructor', 'extra', nastyString(rng).slice(0, 10) || 'x'])] = anyJson(rng);
  }
  return copy;
}

/** A lead body for the API: usually almost valid, sometimes not an object at all. */
export function leadBody(rng: Rng, team: string): string {
  if (rng.chance(0.05)) return rng.pick(['', 'null', '[]', '"lead"', '{', '{"team":', '\u0000', '{"a":1}{"b":2}']);
  if (rng.chance(0.05)) return JSON.stringify(anyJson(rng));
  const lead: Record<string, unknown> = {
    team,
    name: rng.chance(0.8) ? `Fuzz ${rng.int(1e9)}` : nastyString(rng),
    company: rng.chance(0.5) ? nastyString(rng) : 'Acme',
    email: rng.chance(0.5) ? `f${rng.int(1e9)}@fuzz.example` : nastyString(rng),
    phone: rng.chance(0.5) ? `+86138${String(rng.int(1e8)).padStart(8, '0')}` : nastyString(rng),
  };
  const fields = [
    'team',
    'name',
    'company',
    'email',
    'phone',
    'budget',
    'signals',
    'attributes',
    'companySize',
    'notes',
    'source',
    'decisionRole',
  ];
  const body = rng.chance(0.85) ? mutate(rng, lead, fields) : lead;
  let text = JSON.stringify(body);
  // JSON.stringify escapes nothing dangerous; splice raw escapes in the way an attacker would.
  if (rng.chance(0.1))
    text = text.replace('"name":"', rng.pick(['"name":"\\u0000', '"name":"\\ud800', '"__proto__":{},"name":"']));
  return text;
}

export function blockActionsPayload(
  rng: Rng,
  users: readonly string[],
  actionIds: readonly string[],
  responseUrl: string,
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: rng.pick(users), team_id: 'T0TEST' },
    channel: { id: 'C0ALPHA' },
    container: { type: 'message', channel_id: 'C0ALPHA', message_ts: '1.2' },
    response_url: responseUrl,
    trigger_id: `${rng.int(1e9)}.1.a`,
    actions: [
      {
        type: 'button',
        action_id: rng.pick(actionIds),
        block_id: 'b',
        value: rng.chance(0.5) ? String(rng.int(1e6) + 1_000_000) : nastyString(rng),
        action_ts: '1.2',
      },
    ],
  };
  return rng.chance(0.7)
    ? mutate(rng, base, ['type', 'user', 'channel', 'actions', 'container', 'response_url'])
    : base;
}

export function viewSubmissionPayload(rng: Rng, users: readonly string[]): Record<string, unknown> {
  const plausible: Record<string, string> = {
    name: `Form Lead ${rng.int(1e9)}`,
    company: 'Acme',
    phone: `+86139${String(rng.int(1e8)).padStart(8, '0')}`,
    email: `form${rng.int(1e9)}@fuzz.example`,
    source: 'website',
    notes: 'met at the fair',
  };
  const values: Record<string, unknown> = {};
  for (const [field, good] of Object.entries(plausible)) {
    const roll = rng.next();
    const value = roll < 0.85 ? good : roll < 0.95 ? nastyString(rng) : anyJson(rng);
    values[field] = { value: { type: 'plain_text_input', value } };
  }
  const base: Record<string, unknown> = {
    type: 'view_submission',
    user: { id: rng.pick(users), team_id: 'T0TEST' },
    view: {
      id: `VF${rng.int(1e9)}`,
      callback_id: rng.chance(0.9) ? 'lead.new.modal' : nastyString(rng),
      private_metadata: rng.chance(0.7)
        ? JSON.stringify({ team: rng.chance(0.8) ? 'alpha' : nastyString(rng) })
        : nastyString(rng),
      blocks: [{ block_id: 'name' }],
      state: { values: rng.chance(0.9) ? values : anyJson(rng) },
    },
  };
  return rng.chance(0.3) ? mutate(rng, base, ['type', 'user', 'view']) : base;
}
