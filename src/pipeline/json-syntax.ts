/**
 * Why a text is not JSON, as a position and a kind of problem, never the text itself: V8's
 * JSON.parse messages quote the start of the input (`Unexpected token '张', "张三手机1381…" is not
 * valid JSON`), and reasons end up in logs, rejects files and dead-letter headers. A small linear
 * scanner (an explicit stack, no recursion) that only runs once JSON.parse has failed.
 */
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

export function jsonSyntaxProblem(text: string): string {
  let i = 0;
  const n = text.length;
  const at = (what: string, pos = i) => `${what} at character ${pos + 1}`;
  const skipWs = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  // Open containers, innermost last.
  const stack: Array<'{' | '['> = [];
  const string = (): string | undefined => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return at('control character in a string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return at('bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return at('bad escape in a string');
      } else i++;
    }
    return at('unterminated string', n - 1);
  };
  const number = (): string | undefined => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i]! >= '1' && text[i]! <= '9') while (text[i]! >= '0' && text[i]! <= '9') i++;
    else return at('bad number', start);
    if (text[i] === '.') {
      i++;
      if (!(text[i]! >= '0' && text[i]! <= '9')) return at('bad number', start);
      while (text[i]! >= '0' && text[i]! <= '9') i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!(text[i]! >= '0' && text[i]! <= '9')) return at('bad number', start);
      while (text[i]! >= '0' && text[i]! <= '9') i++;
    }
    return undefined;
  };
  let expectValue = true; // else: after a value, expecting ',' or a closing bracket
  let needKey = false;
  for (;;) {
    skipWs();
    const open = stack.at(-1);
    if (expectValue) {
      if (i >= n) return 'unexpected end of input';
      if (needKey) {
        if (text[i] !== '"') return at('expected a property name');
        const bad = string();
        if (bad) return bad;
        skipWs();
        if (i >= n) return 'unexpected end of input';
        if (text[i] !== ':') return at("expected ':' after a property name");
        i++;
        needKey = false;
        continue;
      }
      const ch = text[i]!;
      if (ch === '{' || ch === '[') {
        i++;
        skipWs();
        if (text[i] === (ch === '{' ? '}' : ']')) {
          i++;
          expectValue = false;
        } else {
          stack.push(ch);
          needKey = ch === '{';
        }
        continue;
      }
      let bad: string | undefined;
      if (ch === '"') bad = string();
      else if (ch === '-' || (ch >= '0' && ch <= '9')) bad = number();
      else {
        const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (word === undefined) return at('unexpected character');
        i += word.length;
      }
      if (bad) return bad;
      expectValue = false;
      continue;
    }
    if (open === undefined) break;
    if (i >= n) return 'unexpected end of input';
    const close = open === '{' ? '}' : ']';
    if (text[i] === close) {
      stack.pop();
      i++;
    } else if (text[i] === ',') {
      i++;
      expectValue = true;
      needKey = open === '{';
    } else {
      return at(`expected ',' or '${close}'`);
    }
  }
  if (i < n) return at('unexpected data after the JSON value');
  return 'not valid JSON';
}
