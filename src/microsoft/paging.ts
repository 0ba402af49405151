// Following collection pages (Graph `@odata.nextLink`, ARM `nextLink`) without leaving the
// configured host: a next-page link to anywhere else would receive our bearer token.
import { unexpectedResponse } from './errors.js';

/** Guards against a service that keeps handing out nextLinks. */
export const MAX_PAGES = 5000;

/**
 * A next-page link we may follow: an absolute URL on the configured origin (scheme, host and
 * port), not seen before. Anything else is refused as an unexpected response.
 */
export function checkNextLink(link: unknown, origin: string, label: string, seen: Set<string>): string {
  if (typeof link !== 'string') throw unexpectedResponse(label, 'the next-page link is not a string');
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw unexpectedResponse(label, 'the next-page link is not a URL');
  }
  if (url.origin !== origin) throw unexpectedResponse(label, `refused a next-page link to another host (${url.host})`);
  if (seen.has(url.href)) throw unexpectedResponse(label, 'the service returned the same next-page link twice');
  if (seen.size >= MAX_PAGES) throw unexpectedResponse(label, `more than ${MAX_PAGES} pages`);
  seen.add(url.href);
  return url.href;
}

/** The `value` array of a collection page, or unexpected_response. */
export function pageItems(page: unknown, label: string): unknown[] {
  const value = (page as { value?: unknown } | null)?.value;
  if (!page || typeof page !== 'object' || !Array.isArray(value)) throw unexpectedResponse(label, 'expected a collection with a value array');
  return value;
}

