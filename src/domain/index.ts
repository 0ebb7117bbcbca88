export * from './result.js';
export * from './transcript.js';
