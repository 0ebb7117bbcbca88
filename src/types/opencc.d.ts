// opencc-js ships its dictionaries as ES modules exporting "from to|from to|…" strings, untyped.
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}
