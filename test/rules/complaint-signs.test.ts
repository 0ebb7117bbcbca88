import { describe, expect, it } from 'vitest';
import { surfaceSigns } from '../../src/rules/complaint-signs.js';

const kinds = ['negative-emoji', 'repeated-marks', 'shouting'] as const;
const found = (text: string) => surfaceSigns(text, kinds).map((s) => [s.kind, text.slice(s.start, s.end)]);

describe('surface signs of annoyance', () => {
  it('finds frowning emoji and emoticons, not smiles, laughter or the ":/" of a link', () => {
    expect(found('my order is lost 😤')).toEqual([['negative-emoji', '😤']]);
    expect(found('cannot log in :(')).toEqual([['negative-emoji', ':(']]);
    expect(found('又没到 T_T')).toEqual([['negative-emoji', 'T_T']]);
    expect(found('works now 🙂 see https://help.example/page 😂')).toEqual([]);
  });

  it('finds doubled question or exclamation marks and a row of Chinese full stops', () => {
    expect(found('where is it??')).toEqual([['repeated-marks', '??']]);
    expect(found('还没到 ？ ？')).toEqual([['repeated-marks', '？ ？']]);
    expect(found('really?!')).toEqual([['repeated-marks', '?!']]);
    expect(found('好吧。。')).toEqual([['repeated-marks', '。。']]);
    expect(found('Is it shipped? Thanks!')).toEqual([]);
  });

  it('finds three words in capitals or an intensifier in capitals, not acronyms, handles or placeholders', () => {
    expect(found('FIX THE APP now')).toEqual([['shouting', 'FIX THE APP']]);
    expect(found('I REALLY need this')).toEqual([['shouting', 'REALLY']]);
    expect(found('my PS4 and the USA store, ask @ALL_CAPS_TEAM')).toEqual([]);
    expect(found('[数字x] [姓名x] ok')).toEqual([]);
  });

  it('only looks for the kinds asked for', () => {
    expect(surfaceSigns('WHY IS THIS BROKEN?? :(', ['repeated-marks'])).toEqual([
      { kind: 'repeated-marks', start: 18, end: 20 },
    ]);
    expect(surfaceSigns('WHY?? :(', [])).toEqual([]);
  });
});
