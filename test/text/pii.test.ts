import { describe, expect, it } from 'vitest';
import {
  createPiiDetector,
  DEFAULT_OWN_CONTACTS,
  DEFAULT_PII_OPTIONS,
  findPii,
  isLuhnValid,
  isValidCnId,
  maskInPlace,
  PII_KINDS,
  type PiiDetectorOptions,
} from '../../src/text/pii.js';

const ALL = new Set(PII_KINDS);
const detector = createPiiDetector();
const found = (text: string, d = detector) => d.find(text).map((m) => [m.kind, text.slice(m.start, m.end)]);
const withOptions = (over: Partial<PiiDetectorOptions>) =>
  createPiiDetector({ ...DEFAULT_PII_OPTIONS, ...over });

// Synthetic values: a mobile number, CN IDs built with the GB 11643 checksum, a Luhn-valid card.
const MOBILE = '13812345678';
const ID18 = '11010519491231002X';
const CARD = '6222021234567890128';

describe('checksums', () => {
  it('accepts CN resident ID numbers only with a valid GB 11643 checksum, province and date', () => {
    expect(isValidCnId(ID18)).toBe(true);
    expect(isValidCnId('110105198806071238')).toBe(true);
    expect(isValidCnId('110105198806071239')).toBe(false);
    expect(isValidCnId('110105198813071236')).toBe(false); // month 13
    expect(isValidCnId('990105198806071235')).toBe(false); // no province 99
  });

  it('accepts 15-digit first-generation ID numbers by province and birth date (they have no check digit)', () => {
    expect(isValidCnId('110105491231002')).toBe(true);
    expect(isValidCnId('110105491331002')).toBe(false); // month 13
    expect(isValidCnId('000105491231002')).toBe(false);
  });

  it('accepts bank cards only with a valid Luhn digit', () => {
    expect(isLuhnValid(CARD)).toBe(true);
    expect(isLuhnValid('6222021234567890127')).toBe(false);
  });
});

describe('personal data in every common writing', () => {
  it('finds mobiles, IDs, cards (with spaces or full-width digits) and e-mails with exact spans', () => {
    const text = `电话${MOBILE},身份证${ID18},卡 6222 0212 3456 7890 128,邮箱 a.b@example.com,手机１３９００００１１１１`;
    expect(found(text)).toEqual([
      ['cn_mobile', MOBILE],
      ['cn_id', ID18],
      ['bank_card', '6222 0212 3456 7890 128'],
      ['email', 'a.b@example.com'],
      ['cn_mobile', '１３９００００１１１１'],
    ]);
  });

  it.each([
    ['dots', '138.1234.5678'],
    ['slashes', '138/1234/5678'],
    ['double spaces', '138  1234  5678'],
    ['ideographic spaces', '138\u30001234\u30005678'],
    ['no-break spaces', '138\u00a01234\u00a05678'],
    ['zero-width spaces', '1\u200b38\u200b1234\u200b5678'],
    ['a zero-width joiner and a BOM', '138\u200d1234\ufeff5678'],
    ['dashes of several kinds', '138–1234—5678'],
    ['Chinese numerals', '一三八一二三四五六七八'],
    ['幺 for one and 〇 for zero', '幺三八〇〇一二三四五六'],
    ['mixed with ASCII digits', '138一二三四5678'],
    ['circled digits', '①③⑧①②③④⑤⑥⑦⑧'],
    ['with +86', '+86 138 1234 5678'],
  ])('a mobile number written with %s', (_name, written) => {
    const text = `我的手机是${written}，谢谢`;
    expect(found(text)).toEqual([['cn_mobile', written.replace(/^\+/, '')]]);
  });

  it('masks overlapping detections whole: a number glued to an e-mail leaves neither in clear', () => {
    // Found by the screen fuzz test: the e-mail starts inside the mobile's span.
    const text = '138 1234 5678zhang.san@example.com';
    const matches = findPii(text, new Set(['cn_mobile', 'email']));
    expect(matches.map((m) => m.kind)).toEqual(['cn_mobile', 'email']);
    const masked = maskInPlace(text, matches);
    expect(masked).toHaveLength(text.length);
    expect(masked).not.toContain('zhang');
    expect(masked).not.toContain('example');
    expect(masked).toMatch(/^138 \*{4} 5678\*+\.\*+@\*+\.\*+$/);
  });

  it('finds 18- and 15-digit ID numbers, also spaced or with a lower-case check character', () => {
    expect(found('身份证 110105 19491231 002x 请核对')).toEqual([['cn_id', '110105 19491231 002x']]);
    expect(found('老身份证110105491231002。')).toEqual([['cn_id', '110105491231002']]);
  });

  it('finds e-mail addresses written with a full-width ＠ or dot, or with invisible characters', () => {
    expect(found('邮箱 jane＠example．com')).toEqual([['email', 'jane＠example．com']]);
    expect(found('mail ｊａｎｅ＠ｅｘａｍｐｌｅ.com now')).toEqual([
      ['email', 'ｊａｎｅ＠ｅｘａｍｐｌｅ.com'],
    ]);
    expect(found('mail ja\u200bne@exa\u200bmple.com.')).toEqual([['email', 'ja\u200bne@exa\u200bmple.com']]);
  });

  it('finds a number split over two consecutive messages of the same speaker, and masks the parts as one', () => {
    const turns = [
      { speaker: 'customer', text: '我的手机是138' },
      { speaker: 'customer', text: '1234 5678' },
      { speaker: 'agent', text: '好的' },
    ];
    const matches = detector.scan(turns);
    expect(matches[0]!.map((m) => [m.kind, turns[0]!.text.slice(m.start, m.end)])).toEqual([
      ['cn_mobile', '138'],
    ]);
    expect(matches[1]!.map((m) => [m.kind, turns[1]!.text.slice(m.start, m.end)])).toEqual([
      ['cn_mobile', '1234 5678'],
    ]);
    expect(maskInPlace(turns[0]!.text, matches[0]!)).toBe('我的手机是138');
    expect(maskInPlace(turns[1]!.text, matches[1]!)).toBe('**** 5678');
    // Another speaker's digits are not joined with the customer's.
    expect(detector.scan([turns[0]!, { speaker: 'agent', text: '12345678' }]).flat()).toEqual([]);
  });

  it('joins a split number even when one part alone reads as a landline, so neither part stays in clear', () => {
    const gb = createPiiDetector({
      ...DEFAULT_PII_OPTIONS,
      phoneRegions: ['US', 'GB', 'CA', 'AU', 'IE', 'IN'],
    });
    const turns = [
      { speaker: 'customer', text: 'mine is 158' },
      { speaker: 'customer', text: '02853995 thanks' },
    ];
    expect(gb.find(turns[1]!.text).map((m) => m.kind)).toEqual(['phone']);
    const matches = gb.scan(turns);
    expect(matches.map((m) => m.map((x) => x.kind))).toEqual([['cn_mobile'], ['cn_mobile']]);
    expect(maskInPlace(turns[0]!.text, matches[0]!)).toBe('mine is 158');
    expect(maskInPlace(turns[1]!.text, matches[1]!)).toBe('****3995 thanks');
  });

  it('finds international numbers with + always, and national ones of the configured regions', () => {
    const text = 'call (212) 555-0123 or +44 20 7946 0958 today';
    expect(found(text)).toEqual([['phone', '44 20 7946 0958']]);
    expect(found(text, withOptions({ phoneRegions: ['US'] }))).toEqual([
      ['phone', '(212) 555-0123'],
      ['phone', '44 20 7946 0958'],
    ]);
    expect(found('座机 010-6552 9988', withOptions({ phoneRegions: ['CN'] }))).toEqual([
      ['phone', '010-6552 9988'],
    ]);
  });

  it('takes bare digits for a landline only where landlines are written without a trunk 0', () => {
    const gb = withOptions({ phoneRegions: ['GB'] });
    expect(found('ring 020 7946 0958', gb)).toEqual([['phone', '020 7946 0958']]);
    expect(found('ticket number 2079460958', gb)).toEqual([]);
    expect(found('ring 07400 123456', gb)).toEqual([['phone', '07400 123456']]);
  });
});

describe('what is not personal data', () => {
  it('ignores digits inside links, even a timestamp that passes Luhn', () => {
    const stamp = '20200401224714';
    expect(isLuhnValid(stamp)).toBe(true);
    expect(
      found(`see https://web.archive.org/web/${stamp}/https://help.example.com/articles/4111111111111111`),
    ).toEqual([]);
    expect(found(`see www.example.com/track/${MOBILE} now`)).toEqual([]);
  });

  it("ignores card-like numbers outside the issuers' prefixes, and codes glued to letters", () => {
    expect(found(`ref 20200401224734 ok`)).toEqual([]); // Luhn-valid, no card starts 2020
    expect(found('运单 SF4111111111111111 已发出')).toEqual([]);
  });

  it('takes a grouped number for a card only when it is grouped as cards are', () => {
    // Luhn-valid and starting like a Visa card, but grouped as an order number (3-7-7).
    const order = '411-3456789-1234560';
    expect(isLuhnValid(order.replace(/-/g, ''))).toBe(true);
    expect(found(`order ${order} shipped`)).toEqual([]);
    expect(found('card 4113 4567 8912 3456 0')).toEqual([['bank_card', '4113 4567 8912 3456 0']]);
    expect(found('card 4113-4567-8912-34560')).toEqual([['bank_card', '4113-4567-8912-34560']]);
    // Amex 4-6-5, and the same digits typed together.
    expect(found('amex 3782 822463 10005')).toEqual([['bank_card', '3782 822463 10005']]);
    expect(found('amex 378282246310005')).toEqual([['bank_card', '378282246310005']]);
  });

  it('ignores numbers that fail checks or are part of longer numbers', () => {
    expect(found('订单号 20261102778100123 金额 12345678901')).toEqual([]);
    expect(found('tracking 123456789012345678901234')).toEqual([]);
  });

  it('ignores placeholders of anonymised corpora', () => {
    expect(found('您的电话[电话x]和身份证号[身份证号x]，订单[订单编号:[订单x]]，[数字x][数字x]')).toEqual([]);
  });

  it("ignores the company's own contacts: role mailboxes, its domains, its numbers and business number types", () => {
    const own = withOptions({
      phoneRegions: ['US', 'CN'], // in order of preference: the first region where a number is valid says what it is
      own: { ...DEFAULT_OWN_CONTACTS, domains: ['shop.example'], phones: ['+86 21 6555 0199'] },
      tenants: { acme: { domains: ['acme.example'] } },
    });
    expect(found('write to support@anything.com or kefu@shop.com', own)).toEqual([]);
    expect(found('or li.lei@mail.shop.example', own)).toEqual([]);
    expect(found('or 021-6555 0199', own)).toEqual([]);
    expect(found('热线 400-810-1234 或 800 810 1234', own)).toEqual([]);
    expect(found('call 1-800-555-0199', own)).toEqual([]);
    expect(own.find('bob@acme.example', 'acme')).toEqual([]);
    expect(own.find('bob@acme.example', 'other')).toHaveLength(1);
    // Without US numbering, the same digits read as a CN mobile: regions decide.
    expect(found('call 1-800-555-0199')).toEqual([['cn_mobile', '1-800-555-0199']]);
  });

  it('ignores Twitter handles and addresses without a domain', () => {
    expect(found('@AcmeSupport hi, user@localhost')).toEqual([]);
  });
});

describe('masking', () => {
  it('masks in place without changing the length, so offsets into the text stay valid', () => {
    const text = `卡 6222 0212 3456 7890 128,邮箱 jane@example.com,电话${MOBILE}。`;
    const masked = maskInPlace(text, findPii(text, ALL));
    expect(masked).toBe('卡 6222 **** **** ***0 128,邮箱 j***@*******.***,电话138****5678。');
    expect(masked.length).toBe(text.length);
    expect(masked.indexOf('电话')).toBe(text.indexOf('电话'));
  });

  it('masks Chinese numerals, full-width and astral digits character for character', () => {
    for (const text of ['一三八一二三四五六七八', '１３８１２３４５６７８', '𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖']) {
      const masked = maskInPlace(text, findPii(text, ALL));
      expect(masked.length).toBe(text.length);
      expect((masked.match(/\*/g) ?? []).length).toBeGreaterThanOrEqual(4);
    }
    expect(maskInPlace('一三八一二三四五六七八', findPii('一三八一二三四五六七八', ALL))).toBe(
      '一三八****五六七八',
    );
  });

  it('shows at most the last two digits of a telephone number', () => {
    const text = '+44 20 7946 0958';
    expect(maskInPlace(text, findPii(text, ALL))).toBe('+** ** **** **58');
  });
});

describe('hostile input', () => {
  it.each([
    ['spaced digits', '1 '.repeat(200_000)],
    ['digit groups with every separator', '12.34/56  78\u200b90-'.repeat(30_000)],
    ['e-mail-like runs', `${'a'.repeat(100_000)}@${'b.'.repeat(100_000)}`],
    ['many at signs', 'a@'.repeat(200_000)],
    ['plus signs and brackets', '+(1) '.repeat(100_000)],
    ['a link of digits', `https://${'1'.repeat(300_000)}`],
  ])('stays linear on %s (no catastrophic backtracking)', (_name, hostile) => {
    expect(
      Array.isArray(createPiiDetector({ ...DEFAULT_PII_OPTIONS, phoneRegions: ['US', 'CN'] }).find(hostile)),
    ).toBe(true);
  });
});

describe('cheap clearance of strings that cannot hold personal data', () => {
  it('counts digits in every writing the scanner reads, and any at sign', async () => {
    const { hasDigitsOrAt } = await import('../../src/text/pii-digits.js');
    expect(hasDigitsOrAt('订单一二三四五六', 7)).toBe(false);
    expect(hasDigitsOrAt('订单一二三四五六七', 7)).toBe(true);
    expect(hasDigitsOrAt('１２３ 45-6７', 7)).toBe(true);
    expect(hasDigitsOrAt('𝟏𝟐𝟑𝟒𝟓𝟔', 7)).toBe(false);
    expect(hasDigitsOrAt('𝟏𝟐𝟑𝟒𝟓𝟔𝟕', 7)).toBe(true);
    for (const at of ['a@b', 'a＠b', 'a﹫b']) expect(hasDigitsOrAt(at, 7)).toBe(true);
    expect(hasDigitsOrAt('No greeting in the first 1 agent turn(s).', 7)).toBe(false);
  });

  it('finds nothing in a string with fewer digits than any number has', () => {
    expect(found('第3次联系，订单尾号123456')).toEqual([]);
    expect(found(`手机${MOBILE}`)).toEqual([['cn_mobile', MOBILE]]);
  });
});
