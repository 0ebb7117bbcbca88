import { describe, expect, it } from 'vitest';
import { commandHelp, parseCommandArgs } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/main.js';

describe('commands', () => {
  it('each has a summary and describes every option in its --help', () => {
    for (const command of COMMANDS) {
      const help = commandHelp(command);
      expect(help, command.name).toContain(command.summary);
      for (const name of Object.keys(command.options))
        expect(help, `${command.name} --${name}`).toContain(`--${name}`);
    }
  });

  it('rejects unknown options and unexpected positionals as usage errors', () => {
    const screen = COMMANDS.find((c) => c.name === 'screen')!;
    expect(() => parseCommandArgs(screen, ['--pipelin', 'x'])).toThrow(/Unknown option/);
    expect(() => parseCommandArgs(screen, ['stray'])).toThrow(/positional/);
    const validate = COMMANDS.find((c) => c.name === 'validate')!;
    expect(parseCommandArgs(validate, ['a', 'b']).positionals).toEqual(['a', 'b']);
  });
});
