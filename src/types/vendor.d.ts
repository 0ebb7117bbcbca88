// opencc-js ships its dictionaries as ES modules exporting "from to|from to|…" strings, untyped.
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}

// natural's Porter stemmer, loaded alone (the package index pulls in far more than we use).
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

// natural's English stopword list, loaded alone for the same reason.
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: readonly string[];
}
