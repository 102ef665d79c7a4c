import { describe, expect, it } from 'vitest';
import { teamDirectory } from '../../src/config/teams-config.js';
import { companyKey } from '../../src/domain/intake/company-key.js';
import { certaintyOf, dedupKeys, MatchIndex } from '../../src/domain/intake/dedup.js';
import type { MatchCandidate } from '../../src/domain/intake/intake-store.js';
import { looseNameKey, nameKey } from '../../src/domain/intake/name-key.js';
import { foldText, normalizeEmail, normalizePhone } from '../../src/domain/intake/normalize.js';
import { prepareLead } from '../../src/domain/intake/prepare-lead.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { withoutInvisibles } from '../../src/domain/shared/text.js';
import { formProblems, presentFieldProblems } from '../../src/i18n/field-problems.js';
import { testTeam } from '../support/fixtures.js';

describe('normalizePhone', () => {
  it.each([
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['138-0013-8000', 'CN', '+8613800138000'],
    ['(138) 0013 8000', 'CN', '+8613800138000'],
    ['+86 138 0013 8000', null, '+8613800138000'],
    ['0086 138 0013 8000', null, '+8613800138000'],
    ['+86-10-6552-9988', 'US', '+861065529988'],
    ['010 6552 9988', 'CN', '+861065529988'],
    ['１３８ ００１３ ８０００', 'CN', '+8613800138000'],
    ['＋８６ １３８００１３８０００', null, '+8613800138000'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['+1 415.555.0100', 'CN', '+14155550100'],
    ['+44 20 7946 0958', 'CN', '+442079460958'],
    ['+49 151 23456789', null, '+4915123456789'],
    ['+91 98765 43210', null, '+919876543210'],
    ['098765 43210', 'IN', '+919876543210'],
    ['+852 9123 4567', null, '+85291234567'],
    ['0912 345 678', 'TW', '+886912345678'],
  ])('%s (region %s) → %s', (raw, region, e164) => {
    expect(normalizePhone(raw, region)).toMatchObject({ ok: true, e164 });
  });

  it('reads a number valid only in one of the team’s other regions there, and says which', () => {
    expect(normalizePhone('6123 4567', 'CN', ['HK'])).toMatchObject({ ok: true, e164: '+85261234567', region: 'HK' });
    expect(normalizePhone('138 0013 8000', 'US', ['CN'])).toMatchObject({
      ok: true,
      e164: '+8613800138000',
      region: 'CN',
    });
    expect(normalizePhone('138 0013 8000', null, ['CN'])).toMatchObject({
      ok: true,
      e164: '+8613800138000',
      region: 'CN',
    });
    // Valid at home, and not a mobile elsewhere: home.
    expect(normalizePhone('138 0013 8000', 'CN', ['HK'])).toMatchObject({ ok: true, e164: '+8613800138000' });
    // One numbering plan (US and Canada) reads it one way: no doubt.
    expect(normalizePhone('604 555 1234', 'US', ['CA'])).toMatchObject({ ok: true, e164: '+16045551234' });
  });

  it('reads a number valid at home at home, whatever the other regions would make of it', () => {
    // A Frankfurt number, as a team in Germany with Austrian and Swiss customers writes it.
    expect(normalizePhone('069 1234 5678', 'DE', ['AT', 'CH'])).toMatchObject({ ok: true, e164: '+496912345678' });
    expect(normalizePhone('9123 4567', 'SG', ['HK'])).toMatchObject({ ok: true, e164: '+6591234567' });
  });

  it('keeps what the other regions make of a home number beside it, as they write it, for possible matches', () => {
    // A Vienna mobile written nationally is a valid German fixed line: German, and Austrian beside.
    expect(normalizePhone('0676 8132455', 'DE', ['AT', 'CH'])).toEqual({
      ok: true,
      e164: '+496768132455',
      kind: 'fixed',
      alts: ['+436768132455'],
    });
    expect(normalizePhone('044 310 09 68 DW 5906', 'DE', ['AT', 'CH'])).toMatchObject({
      e164: '+49443100968',
      ext: '5906',
      alts: ['+41443100968'],
    });
    // Written with its country code, it is that number and nothing else.
    expect(normalizePhone('+43 676 8132455', 'DE', ['AT', 'CH'])).toEqual({
      ok: true,
      e164: '+436768132455',
      kind: 'mobile',
    });
  });

  it('keeps a number not valid at home but a mobile of several other regions as typed, naming them and their readings', () => {
    expect(normalizePhone('9123 4567', 'CN', ['SG', 'HK'])).toEqual({
      ok: 'ambiguous',
      typed: '9123 4567',
      regions: ['SG', 'HK'],
      readings: ['+6591234567', '+85291234567'],
    });
    expect(normalizePhone('33 3993 2275 ext. 12', 'ES', ['MX', 'CO'])).toEqual({
      ok: 'ambiguous',
      typed: '33 3993 2275',
      ext: '12',
      regions: ['MX', 'CO'],
      readings: ['+523339932275', '+573339932275'],
    });
  });

  it.each([
    ['call me', 'CN'],
    ['12345', 'CN'],
    ['+1 415 555 010', null],
    ['138 0013 800', 'CN'],
    ['000 0000 0000', 'CN'],
  ])('refuses %j', (raw, region) =>
    expect(normalizePhone(raw, region)).toEqual({ ok: false, problem: 'phone.invalid' }),
  );

  it('asks for a country code when the team has no default region', () => {
    expect(normalizePhone('138 0013 8000', null)).toEqual({ ok: false, problem: 'phone.needs_country' });
  });
});

describe('normalizeEmail', () => {
  it('folds Gmail aliases only when asked, and only at Gmail', () => {
    expect(normalizeEmail('J.O.E+news@googlemail.com', true)).toBe('joe@gmail.com');
    expect(normalizeEmail('joe@gmail.com', true)).toBe('joe@gmail.com');
    expect(normalizeEmail('J.O.E+news@googlemail.com')).toBe('j.o.e+news@googlemail.com');
    // Elsewhere dots and + belong to the address.
    expect(normalizeEmail('first.last+team@acme.example', true)).toBe('first.last+team@acme.example');
  });

  it('lower-cases, folds full-width characters and trims', () => {
    expect(normalizeEmail('  Wei.Zhang@ACME.example ')).toBe('wei.zhang@acme.example');
    expect(normalizeEmail('ｗｅｉ＠ａｃｍｅ．ｃｎ')).toBe('wei@acme.cn');
  });

  it('reads an address as a mail client pastes it, and drops characters that show nothing', () => {
    for (const pasted of [
      '"Maria Schmidt" <maria-schmidt@siemens.com>',
      'Maria Schmidt <Maria-Schmidt@Siemens.com>',
      '<maria-schmidt@siemens.com>',
      'mailto:maria-schmidt@siemens.com',
      'maria-schmidt@siemens.com;',
      'maria\u200B-schmidt@siemens\u2060.com',
      '\uFEFFmaria-schmidt@siemens.com\u200E',
      'maria-schmidt\u00A0@siemens.com'.replace('\u00A0', ''),
    ])
      expect(normalizeEmail(pasted), pasted).toBe('maria-schmidt@siemens.com');
  });

  it.each(['a@', '@acme.com', 'a b@acme.com', 'a@acme', 'a..b@acme.com', 'a@acme..com', 'a@@acme.com'])(
    'refuses %j',
    (raw) => expect(normalizeEmail(raw)).toBeNull(),
  );
});

describe('invisible characters in what arrives', () => {
  it('are cleaned, not refused: a name, a company and a phone with zero-width characters are kept', () => {
    const team = testTeam();
    const checked = validateLead(
      {
        team: 'alpha',
        name: 'Zhang\u200B Wei\uFEFF',
        company: 'Acme\u2060 Trading\u00A0Ltd',
        phone: '+86\u200B 138 0013\u200D 8000',
        email: '"Zhang Wei" <wei@acme.example>',
      },
      teamDirectory([team]),
      sourceCatalog(),
    );
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.lead).toMatchObject({
      name: 'Zhang Wei',
      company: 'Acme Trading Ltd',
      phone: '+8613800138000',
      email: 'wei@acme.example',
    });
    // An emoji's joiner stays in a name: it is part of the character.
    expect(withoutInvisibles('Ann 👩🏻\u200D💼')).toBe('Ann 👩🏻\u200D💼');
  });
});

describe('text folding and match keys', () => {
  it('folds full-width text and ideographic spaces', () => {
    expect(foldText('　Ａｃｍｅ　　Ｔｒａｄｉｎｇ　')).toBe('Acme Trading');
  });

  it.each([
    ['Acme Trading Co., Ltd.', 'acmetrading'],
    ['ACME trading', 'acmetrading'],
    ['Acme Trading Limited', 'acmetrading'],
    ['Siemens AG', 'siemens'],
    ['Globex, Inc.', 'globex'],
    ['Initech GmbH & Co. KG', 'initech'],
    ['Initech G.m.b.H.', 'initech'],
    ['Acme Trading L.L.C.', 'acmetrading'],
    ['Société Générale S.A.R.L.', 'societegenerale'],
    ['Sony K.K.', 'sony'],
    ['Acme (Shenzhen) Co., Ltd.', 'acme'],
    ['上海云帆科技有限公司', '云帆科技'],
    ['上海云帆科技股份有限公司', '云帆科技'],
    ['深圳市瑞丰科技有限公司', '瑞丰科技'],
    ['瑞豐科技（深圳）有限公司', '瑞丰科技'],
    ['瑞 丰 科 技', '瑞丰科技'],
    ['深圳瑞丰科技股份公司', '瑞丰科技'],
    ['广东省深圳市华为技术有限公司', '华为技术'],
    ['華為技術有限責任公司', '华为技术'],
    ['株式会社ソニー', 'ソニー'],
    ['ソニー株式会社', 'ソニー'],
    ['阿里巴巴集团', '阿里巴巴'],
    ['北京', '北京'],
  ])('company key of %s is %s', (company, key) => expect(companyKey(company)).toBe(key));

  it.each([
    ['Li Lei', 'LI, Lei'],
    ['Lei Li', 'Li Lei'],
    ['José Álvarez', 'Alvarez, Jose'],
    ['ＺＨＡＮＧ　Ｗｅｉ', 'Zhang Wei'],
    ['陳偉', '陈伟'],
    ['陈 伟', '陈伟'],
  ])('name key of %s is that of %s', (a, b) => expect(nameKey(a)).toBe(nameKey(b)));

  it('keeps different people apart', () => {
    expect(nameKey('陈伟')).not.toBe(nameKey('伟陈'));
    expect(nameKey('Li Lei')).not.toBe(nameKey('Li Lee'));
    expect(companyKey('上海云帆科技')).not.toBe(companyKey('上海云海科技'));
  });

  it('keeps a company that is only a legal form', () => {
    expect(companyKey('Ltd')).toBe('ltd');
    expect(companyKey('  ')).toBeNull();
  });

  it('name keys ignore case, width, spacing and punctuation', () => {
    expect(nameKey('Zhang  Wei')).toBe(nameKey('ZHANG-WEI'));
    expect(nameKey('王 芳')).toBe(nameKey('王芳'));
  });
});

describe('prepareLead', () => {
  const team = testTeam({
    intake: {
      required: [['name'], ['phone', 'email']],
      defaultRegion: 'CN',
      alsoRegions: [],
      foldEmailAliases: false,
      currency: 'CNY',
      duplicateAnswerMs: 60_000,
    },
  });
  const sources = sourceCatalog([{ id: 'wechat_group', category: 'self_built', label: 'WeChat group', cost: null }]);

  it('cleans, grades and scores a complete lead, explaining the score', () => {
    const result = prepareLead(
      {
        team: 'alpha',
        name: ' 王芳 ',
        company: '上海云帆科技有限公司',
        title: '采购总监',
        phone: '138 0013 8000',
        email: 'Wang.Fang@YunFan.cn',
        region: '华东',
        industry: 'SaaS',
        companySize: 320,
        need: 'Needs a CRM for 40 sales reps across three offices',
        budget: { min: 50000, max: 80000 },
        decisionRole: 'decision_maker',
        source: 'Referral',
        signals: { visits: 4 },
      },
      team,
      sources,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { lead } = result;
    expect(lead).toMatchObject({
      name: '王芳',
      phone: '+8613800138000',
      email: 'wang.fang@yunfan.cn',
      companySize: '201-1000',
      budget: { min: 50000, max: 80000, currency: 'CNY' },
      source: 'referral',
      companyKey: '云帆科技',
    });
    expect(lead.scoring.grade).toBe('good');
    expect(lead.scoring.detail.map((d) => [d.rule, d.points])).toEqual([
      ['decision_maker', 20],
      ['budget_known', 15],
      ['need_clear', 10],
      ['senior_title', 10],
      ['reliable_source', 10],
      ['visits_3', 5],
    ]);
    expect(lead.scoring.score).toBe(70);
    expect(lead.scoring.priority).toBe('high');
  });

  it('grades a bare lead poor and low priority', () => {
    const result = prepareLead({ team: 'alpha', name: 'Ann', email: 'ann@x.io' }, team, sources);
    expect(result.ok && result.lead.scoring).toMatchObject({ grade: 'poor', score: 0, priority: 'low', detail: [] });
  });

  it('keeps a lead whose values cannot all be read, each set aside with a warning against its field', () => {
    const result = prepareLead(
      {
        team: 'alpha',
        name: 'Ann',
        phone: '12',
        email: 'ann@',
        source: 'tv',
        companySize: 'huge',
        budget: { min: 9, max: 1, currency: 'yua' },
      },
      team,
      sources,
    );
    if (!result.ok) throw new Error('refused');
    expect(result.lead.warnings.map((p) => [p.field, p.code, p.aside ?? p.kept])).toEqual([
      ['phone', 'phone_invalid_in', true],
      ['email', 'email_invalid', true],
      ['source', 'source_unknown', 'source'],
      ['companySize', 'company_size_invalid', 'companySize'],
      ['budget', 'budget_swapped', undefined],
      ['budget.currency', 'currency_invalid', 'budgetCurrency'],
    ]);
    expect(result.lead.warnings.find((p) => p.field === 'source')?.params?.known).toContain('wechat_group');
    // Nothing typed is lost: what has no field of its own is an attribute.
    expect(result.lead).toMatchObject({
      source: null,
      companySize: null,
      budget: { min: 1, max: 9, currency: 'CNY' },
      attributes: { source: 'tv', companySize: 'huge', budgetCurrency: 'YUA' },
    });
  });

  it.each([
    ['约200人', '51-200'],
    ['50-200 employees', '51-200'],
    ['1000+', '1001-5000'],
    ['2k', '1001-5000'],
    ['11–50', '11-50'],
  ])('reads the company size %j as %s', (companySize, band) => {
    const result = prepareLead({ team: 'alpha', name: 'Ann', phone: '138 0013 8000', companySize }, team, sources);
    expect(result.ok && result.lead.companySize).toBe(band);
  });

  it('keeps a phone or e-mail that cannot be read as typed, with a warning, and never matches on it', () => {
    const result = prepareLead({ team: 'alpha', name: 'Ann', phone: '12', email: 'ann@' }, team, sources);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lead).toMatchObject({ phone: '12', email: 'ann@' });
    expect(result.lead.warnings.map((w) => [w.field, w.code])).toEqual([
      ['phone', 'phone_invalid_in'],
      ['email', 'email_invalid'],
    ]);
    expect(dedupKeys({ ...result.lead, externalId: null }).map((k) => k.kind)).toEqual([]);
  });

  it('keeps a number two other regions could read as typed, with its extension apart and each reading as a key', () => {
    const dach = testTeam({ intake: { ...team.intake, defaultRegion: 'DE', alsoRegions: ['AT', 'CH'] } });
    const result = prepareLead({ team: 'alpha', name: 'Ute Groß', phone: '0316 261160 DW 12' }, dach, sources);
    if (!result.ok) throw new Error('refused');
    expect(result.lead).toMatchObject({
      phone: '0316 261160',
      phoneExt: '12',
      phoneAlts: ['+43316261160', '+41316261160'],
    });
    expect(result.lead.warnings).toEqual([{ field: 'phone', code: 'phone_ambiguous', params: { regions: 'AT, CH' } }]);
  });

  it('enforces the team’s required fields, with alternatives', () => {
    const result = prepareLead({ team: 'alpha', name: 'Ann', company: 'Acme' }, team, sources);
    expect(!result.ok && result.problems).toEqual([
      { field: 'phone', code: 'one_of_required', params: { fields: 'phone, email' } },
    ]);
  });

  it('gives the same fingerprint to the same lead typed differently', () => {
    const a = prepareLead({ team: 'alpha', name: 'Ann Lee', phone: '+86 138 0013 8000' }, team, sources);
    const b = prepareLead({ team: 'alpha', name: ' Ann  Lee', phone: '13800138000' }, team, sources);
    const c = prepareLead({ team: 'alpha', name: 'Ann Lee', phone: '13800138000', notes: 'VIP' }, team, sources);
    expect(a.ok && b.ok && a.lead.fingerprint === b.lead.fingerprint).toBe(true);
    expect(a.ok && c.ok && a.lead.fingerprint === c.lead.fingerprint).toBe(false);
  });
});

describe('validateLead', () => {
  const teams = teamDirectory([testTeam()]);
  it('mends what it can: an unknown field, a number for a text, a text too long, a value of the wrong kind', () => {
    const mended = validateLead(
      {
        team: 'alpha',
        name: 'A',
        emial: 'x@y.example',
        phone: 13800138000,
        notes: '注'.repeat(2100),
        decisionRole: 'boss',
        budget: '¥5-10万',
        signals: { visits: 'many', downloads: 2 },
        attributes: { plan: { tier: 'gold' } },
      },
      teams,
      sourceCatalog(),
    );
    if (!mended.ok) throw new Error(JSON.stringify(mended.problems));
    expect(mended.lead).toMatchObject({
      phone: '+8613800138000',
      decisionRole: null,
      budget: { min: 50_000, max: 100_000, currency: 'CNY' },
      signals: { downloads: 2 },
      attributes: { emial: 'x@y.example', decisionRole: 'boss', plan: '{"tier":"gold"}' },
    });
    expect(mended.lead.notes).toHaveLength(2000);
    expect(presentFieldProblems(mended.lead.warnings, 'en')).toEqual({
      emial: ['is not a lead field; what was sent is kept as the attribute “emial”'],
      notes: ['must be at most 2000 characters; the rest was cut off'],
      decisionRole: [
        'must be one of: decision_maker, influencer, user, unknown; what was sent is kept as the attribute “decisionRole”',
      ],
      'signals.visits': ['must be a number; left out'],
      'attributes.plan': ['is not valid; what was sent is kept as the attribute “plan”'],
    });
    // A person filling in a form is shown each of them as a problem to fix instead.
    expect(
      formProblems(mended.lead.warnings)
        .map((p) => p.field)
        .sort(),
    ).toEqual(['attributes.plan', 'decisionRole', 'emial', 'notes', 'signals.visits']);
  });

  it('refuses only what is no lead: no name, an unknown team, no object', () => {
    const nameless = validateLead({ team: 'alpha', email: 'a@b.example', emial: 'x' }, teams, sourceCatalog());
    expect(!nameless.ok && nameless.problems.map((p) => [p.field, p.code])).toEqual([
      ['name', 'required'],
      ['emial', 'unknown_field'],
    ]);
    const team = validateLead({ team: 'omega', name: 'A' }, teams, sourceCatalog());
    expect(!team.ok && team.problems).toEqual([{ field: 'team', code: 'team_unknown', params: { known: 'alpha' } }]);
    expect(validateLead(['a lead'], teams, sourceCatalog())).toMatchObject({ ok: false });
  });
});

describe('matching by language (issue 29)', () => {
  it.each([
    ['010-12345678转8021', 'CN', '+861012345678', '8021'],
    ['010 6552 9988 分机 12', 'CN', '+861065529988', '12'],
    ['03-1234-5678 内線 123', 'JP', '+81312345678', '123'],
    ['03-1234-5678（内線123）', 'JP', '+81312345678', '123'],
    ['03-1234-5678-123', 'JP', '+81312345678', '123'],
    ['02-123-4567 내선 305', 'KR', '+8221234567', '305'],
    ['028 3823 4567 máy lẻ 12', 'VN', '+842838234567', '12'],
    ['069 1234 5678 Durchwahl 22', 'DE', '+496912345678', '22'],
    ['+34 91 123 45 67 anexo 4', null, '+34911234567', '4'],
    ['(212) 555-0100 x45', 'US', '+12125550100', '45'],
    ['212-555-0100 #7', 'US', '+12125550100', '7'],
  ])('reads %s (region %s) as %s extension %s', (raw, region, e164, ext) => {
    expect(normalizePhone(raw, region)).toMatchObject({ ok: true, e164, ext });
  });

  it('reads another region only as that region writes it, mobiles first', () => {
    // Hong Kong writes 3790 9880; Taiwan would write its trunk 0, so it is no Taiwanese number.
    expect(normalizePhone('3790 9880', 'CN', ['HK', 'TW'])).toMatchObject({ e164: '+85237909880', region: 'HK' });
    expect(normalizePhone('6179 7687', 'CN', ['HK', 'TW'])).toMatchObject({ e164: '+85261797687', kind: 'mobile' });
  });

  it.each([
    ['Mr. Matthew O’Brien', "Matthew O'Brien"],
    ["O'BRIEN, Matthew", "Matthew O'Brien"],
    ["Matthew O'Brien, PhD", "Matthew O'Brien"],
    ['이재원 님', '이재원'],
    ['Chị Ngô Ngọc Nhung', 'Ngô Ngọc Nhung'],
    ['Guenter Weiss', 'Günter Weiß'],
    ['张敏（Emma）', '张敏'],
    ['Lily 王丽', '王丽'],
    ['张敏女士', '张敏'],
    ['髙橋翔太', '高橋翔太'],
    // A Japanese form of a character is one with the Chinese, traditional and simplified.
    ['趙龍華', '赵龙华'],
    ['田中 太郎 部長', '田中太郎'],
    ['김민수 과장', '김민수'],
    ['박지훈 대리님', '박지훈'],
    ['竜也', '龍也'],
    ['渡辺', '渡邊'],
    ['邊偉', '边伟'],
    ['齋藤惠', '斎藤恵'],
    ['池田 裕子 様', '池田裕子'],
    ['Herr Dipl.-Ing. Jörg Müller', 'Joerg Mueller'],
    ['Lic. José García', 'Jose Garcia'],
    ['Chị Vũ Thu Trang', 'Vũ Thu Trang'],
    ['Bà Lý Tú', 'Lý Tú'],
    ['Mai Müller', 'Mai Mueller'],
  ])('%s is the name %s', (a, b) => expect(nameKey(a)).toBe(nameKey(b)));

  it.each([
    ['Bùi Đức Hùng', 'Bùi Đức Hưng'],
    // Vietnamese by its family name and its letters, though its marks are ones Spanish has too.
    ['Vũ Thu Trang', 'Vũ Thu Tráng'],
    ['Lý Tú', 'Lý Tù'],
    ['陈芳', '陈娜'],
    ['Don Johnson', 'Johnson'],
    ['Hans Müller', 'Hans Möller'],
  ])('%s is not the name %s', (a, b) => expect(nameKey(a)).not.toBe(nameKey(b)));

  it('folds a dropped umlaut only loosely, for a possible match', () => {
    expect(nameKey('Hans Muller')).not.toBe(nameKey('Hans Müller'));
    expect(looseNameKey('Hans Muller')).toBe(looseNameKey('Hans Müller'));
    // Vietnamese typed without its marks is only possibly the same name: asked about, never merged.
    expect(nameKey('Bùi Đức Hùng')).not.toBe(nameKey('Bui Duc Hung'));
    expect(looseNameKey('Bùi Đức Hùng')).toBe(looseNameKey('Bui Duc Hung'));
    expect(looseNameKey('Chị Nguyen Thi Lan')).toBe(looseNameKey('Nguyễn Thị Lan'));
  });

  it.each([
    ['Siemens Antriebstechnik GmbH, Niederlassung München', 'Siemens Antriebstechnik AG'],
    ['Sony Corporation Tokyo Branch', 'Sony Corp.'],
    ['The Johnson & Sons Company', 'Johnson and Sons Inc'],
    ['华为技术有限公司深圳分公司', '华为技术有限公司'],
    ['株式会社朝日ロジスティクス 名古屋営業所', '朝日ロジスティクス株式会社'],
    ['㈱朝日ロジスティクス', '株式会社朝日ロジスティクス'],
    ['주식회사 한빛전자 서울지점', '한빛전자(주)'],
    ['Công ty TNHH Phú Gia - Chi nhánh Cần Thơ', 'Phú Gia Co., Ltd.'],
    ['Grupo Alianza S. de R.L. de C.V.', 'Grupo Alianza, Sucursal Monterrey'],
    ['Brueckner Maschinenbau', 'Brückner Maschinenbau GmbH'],
  ])('%s is the company %s', (a, b) => expect(companyKey(a)).toBe(companyKey(b)));

  it('weighs a shared number by its kind, extension and name', () => {
    const candidate = (over: Partial<MatchCandidate>): MatchCandidate => ({
      id: 1,
      teamId: 't',
      status: 'pooled',
      ownerId: null,
      duplicateOfId: null,
      fingerprint: '',
      externalId: null,
      email: null,
      phone: '+861065529988',
      phoneExt: null,
      phoneAlts: null,
      nameKey: nameKey('陈芳'),
      companyKey: null,
      coreKey: null,
      looseKey: '',
      ...over,
    });
    const landline = { phone: '+861065529988', phoneExt: null, nameKey: nameKey('陈娜') };
    expect(certaintyOf('phone', landline, candidate({}))).toBe('possible');
    expect(certaintyOf('phone', { ...landline, nameKey: nameKey('陈芳') }, candidate({}))).toBe('exact');
    const office = { phone: '+81312345678', phoneExt: '9247', nameKey: nameKey('池田裕子') };
    expect(
      certaintyOf(
        'phone',
        office,
        candidate({ phone: '+81312345678', phoneExt: '7472', nameKey: nameKey('池田裕子') }),
      ),
    ).toBe('possible');
    const mobile = { phone: '+8613800138000', phoneExt: null, nameKey: nameKey('Someone Else') };
    expect(certaintyOf('phone', mobile, candidate({ phone: '+8613800138000' }))).toBe('exact');
    // A mobile met only as another region reads its digits, or a number kept as typed: a question.
    const vienna = { phone: '+496768132455', phoneExt: null, nameKey: nameKey('Jürgen Groß') };
    const stored = candidate({ phone: '+436768132455', nameKey: nameKey('Jürgen Groß') });
    expect(certaintyOf('phone', vienna, stored)).toBe('possible');
    expect(certaintyOf('phone', { ...vienna, phone: '33 3993 2275' }, candidate({ phone: '33 3993 2275' }))).toBe(
      'possible',
    );
  });

  it('finds a lead by any reading of its digits, and asks first about the colleague on the same extension', () => {
    const base = { teamId: 't', externalId: null, email: null, companyKey: null, coreKey: null, looseKey: '' };
    const stored = (id: number, phone: string, phoneExt: string | null, name: string): MatchCandidate => ({
      ...base,
      id,
      status: 'pooled',
      ownerId: null,
      duplicateOfId: null,
      fingerprint: '',
      phone,
      phoneExt,
      phoneAlts: null,
      nameKey: nameKey(name),
    });
    const index = new MatchIndex();
    index.add(stored(1, '+41443100968', '9053', 'Märta Löffler'));
    index.add(stored(2, '+41443100968', '5906', 'Käthe Löffler'));
    const incoming = {
      ...base,
      phone: '+49443100968',
      phoneExt: '5906',
      phoneAlts: ['+41443100968'],
      nameKey: nameKey('Dipl.-Ing. Käthe Löffler'),
    };
    const hits = index.matches(dedupKeys(incoming), incoming);
    expect(hits.map((h) => [h.candidate.id, h.on, h.certainty])).toEqual([
      [2, 'phone_alt', 'possible'],
      [1, 'phone_alt', 'possible'],
    ]);
    // A number kept as typed is never a key itself; its readings are.
    const typed = { ...incoming, phone: '044 310 09 68', phoneAlts: ['+41443100968', '+43443100968'] };
    expect(dedupKeys(typed).map((k) => k.value)).toEqual(['+41443100968', '+43443100968']);
  });
});
