import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/domain/redact.js';

describe('redactUrl', () => {
  it('keeps scheme, host, port and path, and drops credentials, query and fragment', () => {
    expect(redactUrl('https://hooks.example.org/goalpost?token=s3cret&x=1#frag')).toBe('https://hooks.example.org/goalpost');
    expect(redactUrl('https://user:p4ss@hooks.example.org:8443/in/')).toBe('https://hooks.example.org:8443/in/');
    expect(redactUrl('not a url')).toBe('[unparseable URL]');
  });
});
