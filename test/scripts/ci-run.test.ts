import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '../../.ci/run');
const text = readFileSync(script, 'utf8');
/** The script's commands, without its comments. */
const commands = text
  .split('\n')
  .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
  .filter(Boolean);

describe('the CI script', () => {
  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', script])).not.toThrow();
  });

  it('stops no process by name: no pkill, killall or systemctl stop', () => {
    for (const command of commands)
      expect(command).not.toMatch(
        /\b(pkill|killall|pgrep)\b|systemctl\s+(stop|kill)|service\s+\S+\s+stop/,
      );
  });

  it('sets CI=true before any check runs, so a missing browser fails there', () => {
    const ci = commands.findIndex((command) => /^export CI=true$/.test(command));
    const firstCheck = commands.findIndex((command) => /^npm (test|run|ci)\b/.test(command));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(ci).toBeLessThan(firstCheck);
  });

  it('keeps the packages it installs from starting their services', () => {
    expect(text).toContain('policy-rc.d');
    expect(commands.some((command) => /exit 101/.test(command))).toBe(true);
  });
});
