import { describe, expect, it } from 'vitest';
import { pageAttribution } from '../../src/web/widget/attribution.js';

describe("the widget's attribution", () => {
  it("takes utm_* from the page's address and source from the attribute over the address", () => {
    expect(pageAttribution('front-page', '?utm_source=newsletter&utm_medium=email&utm_campaign=nov&source=other&utm_term=x')).toEqual({
      source: 'front-page',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'nov',
    });
  });

  it("falls back to the address's ?source= when the attribute is missing, blank or too long", () => {
    expect(pageAttribution(null, '?source=article-42')).toEqual({ source: 'article-42' });
    expect(pageAttribution('  ', '?source=article-42')).toEqual({ source: 'article-42' });
    expect(pageAttribution('x'.repeat(65), '?source=article-42')).toEqual({ source: 'article-42' });
  });

  it('trims values and leaves out empty ones and those over the 64 characters the API allows', () => {
    expect(pageAttribution(null, `?utm_source=%20news%20&utm_medium=&utm_campaign=${'y'.repeat(65)}`)).toEqual({ utm_source: 'news' });
    expect(pageAttribution(null, `?utm_campaign=${'y'.repeat(64)}`)).toEqual({ utm_campaign: 'y'.repeat(64) });
    expect(pageAttribution(null, '')).toEqual({});
  });
});
