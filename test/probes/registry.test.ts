// Every catalogue step has a probe, and nothing but catalogue steps do.
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/integrations/catalogue.js';
import { PROBES, stepsWithoutProbe } from '../../src/probes/index.js';

describe('probe registry', () => {
  it('covers the catalogue exactly', () => {
    expect(stepsWithoutProbe()).toEqual([]);
    expect(Object.keys(PROBES).sort()).toEqual(STEPS.map((s) => s.id).sort());
  });
});
