import { describe, expect, it } from 'vitest';
import { findPii, isLuhnValid, isValidCnId, maskInPlace, maskPii, redactText } from '../../src/text/pii.js';

const ALL = new Set(['cn_id', 'cn_mobile', 'bank_card', 'email'] as const);

describe('personal data', () => {
  it('accepts CN resident ID numbers only with a valid GB 11643 checksum', () => {
    expect(isValidCnId('11010519491231002X')).toBe(true);
    expect(isValidCnId('110105198806071238')).toBe(true);
    expect(isValidCnId('110105198806071239')).toBe(false);
    expect(isValidCnId('110105198813071236')).toBe(false); // month 13
  });

  it('accepts bank cards only with a valid Luhn digit', () => {
    expect(isLuhnValid('6222021234567890128')).toBe(true);
    expect(isLuhnValid('6222021234567890127')).toBe(false);
  });

  it('finds mobiles, IDs, cards (with spaces or full-width digits) and e-mails with exact spans', () => {
    const text =
      '电话13812345678,身份证11010519491231002X,卡 6222 0212 3456 7890 128,邮箱 a.b@example.com,手机１３９００００１１１１';
    const found = findPii(text, ALL);
    expect(found.map((m) => [m.kind, text.slice(m.start, m.end)])).toEqual([
      ['cn_mobile', '13812345678'],
      ['cn_id', '11010519491231002X'],
      ['bank_card', '6222 0212 3456 7890 128'],
      ['email', 'a.b@example.com'],
      ['cn_mobile', '１３９００００１１１１'],
    ]);
  });

  it('ignores numbers that fail checks or are part of longer numbers', () => {
    expect(findPii('订单号 20261102778100123 金额 12345678901', ALL)).toEqual([]);
    expect(findPii('tracking 123456789012345678901234', ALL)).toEqual([]);
  });

  it('masks values keeping only what identifies the kind', () => {
    expect(maskPii('cn_mobile', '13812345678')).toBe('138****5678');
    expect(maskPii('email', 'jane@example.com')).toBe('j***@***');
    const text = '号码13812345678谢谢';
    expect(redactText(text, findPii(text, ALL))).toBe('号码138****5678谢谢');
  });

  it('masks in place without changing the length, so offsets into the text stay valid', () => {
    const text = '卡 6222 0212 3456 7890 128,邮箱 jane@example.com,电话13812345678。';
    const masked = maskInPlace(text, findPii(text, ALL));
    expect(masked).toBe('卡 6222 **** **** ***0 128,邮箱 j***@*******.***,电话138****5678。');
    expect(masked.length).toBe(text.length);
    expect(masked.indexOf('电话')).toBe(text.indexOf('电话'));
  });

  it('stays linear on hostile input (no catastrophic backtracking)', () => {
    const hostile = `${'1 '.repeat(200_000)}${'a'.repeat(100_000)}@${'b.'.repeat(100_000)}`;
    expect(findPii(hostile, ALL).length).toBeGreaterThanOrEqual(0);
  });
});
