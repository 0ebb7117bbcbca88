/**
 * The item page's keys a reviewer may move (per user: layouts differ, and some reviewers work with
 * one hand on the keys). The reason keys 1–6, ? (help) and Esc stay where they are. Free of imports:
 * the web app bundles this very file, so the server and the page agree on the actions and defaults.
 */
export const KEY_ACTIONS = [
  'next',
  'previous',
  'confirm',
  'reject',
  'add',
  'submit',
  'nextItem',
  'comment',
] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];
export type Keys = Record<KeyAction, string>;

export const DEFAULT_KEYS: Readonly<Keys> = {
  next: 'j',
  previous: 'k',
  confirm: 'c',
  reject: 'x',
  add: 'a',
  submit: 's',
  nextItem: 'n',
  comment: 'm',
};

/** What a moved key may be: one lower-case letter, a digit 0 or 7–9, or one of ; , . / [ ] ' - = */
export const MOVABLE_KEY = /^[a-z07-9;,./[\]'=-]$/;
