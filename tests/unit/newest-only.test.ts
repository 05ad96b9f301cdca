import { describe, expect, it } from 'vitest';
import { newestOnly } from '../../src/web/shared/newest.js';

describe('a dashboard section that loads again and again', () => {
  it('lets only the newest load draw, whatever order the answers come in', () => {
    const startLoad = newestOnly();
    const first = startLoad();
    const second = startLoad();
    // The first answer arrives after the second load started: it must not draw.
    expect(first()).toBe(false);
    expect(second()).toBe(true);
    const third = startLoad();
    expect(second()).toBe(false);
    expect(third()).toBe(true);
  });

  it('keeps each section apart', () => {
    const chart = newestOnly();
    const sources = newestOnly();
    const chartLoad = chart();
    sources();
    expect(chartLoad()).toBe(true);
  });
});
