import { describe, expect, it } from 'vitest';
import { applyMotion, moveTo, refit, windowFor } from '../../src/ui/state/window.js';

describe('windowFor', () => {
  it('keeps the offset while the selection is inside the window', () => {
    expect(windowFor(5, 0, 10, 100)).toBe(0);
    expect(windowFor(9, 0, 10, 100)).toBe(0);
  });
  it('scrolls down just enough to show a selection below the window', () => {
    expect(windowFor(10, 0, 10, 100)).toBe(1);
    expect(windowFor(50, 0, 10, 100)).toBe(41);
  });
  it('scrolls up to a selection above the window', () => {
    expect(windowFor(3, 20, 10, 100)).toBe(3);
  });
  it('never leaves empty rows at the bottom when the list could fill the window', () => {
    expect(windowFor(99, 95, 10, 100)).toBe(90);
    expect(windowFor(2, 0, 10, 3)).toBe(0);
  });
  it('handles empty lists and zero heights', () => {
    expect(windowFor(0, 0, 10, 0)).toBe(0);
    expect(windowFor(5, 3, 0, 10)).toBe(0);
  });
});

describe('cursor motions', () => {
  const start = { selected: 0, offset: 0 };
  it('moves down and up, clamped to the list', () => {
    expect(applyMotion(start, 'up', 10, 100)).toEqual({ selected: 0, offset: 0 });
    expect(applyMotion(start, 'down', 10, 100)).toEqual({ selected: 1, offset: 0 });
    expect(applyMotion({ selected: 99, offset: 90 }, 'down', 10, 100)).toEqual({ selected: 99, offset: 90 });
  });
  it('pages by the window height, moving the window with the cursor', () => {
    const paged = applyMotion({ selected: 3, offset: 0 }, 'pageDown', 10, 100);
    expect(paged).toEqual({ selected: 13, offset: 10 });
    expect(applyMotion(paged, 'pageUp', 10, 100)).toEqual({ selected: 3, offset: 0 });
    expect(applyMotion({ selected: 95, offset: 90 }, 'pageDown', 10, 100)).toEqual({ selected: 99, offset: 90 });
  });
  it('jumps to the top and bottom', () => {
    expect(applyMotion({ selected: 40, offset: 35 }, 'top', 10, 5000)).toEqual({ selected: 0, offset: 0 });
    expect(applyMotion(start, 'bottom', 10, 5000)).toEqual({ selected: 4999, offset: 4990 });
  });
  it('refits after the list shrinks or the window gets shorter', () => {
    expect(refit({ selected: 80, offset: 75 }, 10, 20)).toEqual({ selected: 19, offset: 10 });
    expect(refit({ selected: 30, offset: 25 }, 3, 100)).toEqual({ selected: 30, offset: 28 });
    expect(moveTo({ selected: 4, offset: 0 }, 9, 5, 0)).toEqual({ selected: 0, offset: 0 });
  });
});
