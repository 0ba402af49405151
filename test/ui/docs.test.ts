import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpMarkdown } from '../../src/ui/state/keymap.js';
import { projectRoot } from '../support/cli.js';

describe('docs/dashboard.md', () => {
  it('lists exactly the keys of the key-binding table', () => {
    const doc = readFileSync(path.join(projectRoot, 'docs/dashboard.md'), 'utf8');
    const section = /<!-- keys:start[^>]*-->\n([\s\S]*?)\n<!-- keys:end -->/.exec(doc)?.[1];
    expect(section, 'the keys section between the markers').toBeDefined();
    // On a mismatch, paste the expected text shown here between the markers.
    expect(section).toBe(helpMarkdown());
  });
});
