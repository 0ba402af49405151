// Azure Resource Manager reads with the tenant's credential (ARM scope, tid-checked), through the
// same transport, limits and retry rules as Graph. ARM pages carry an absolute `nextLink`.
import { checkNextLink, pageItems } from './paging.js';
import type { CheckedToken } from './identity.js';
import { readJson, sendWithRetries, type SenderContext } from './sender.js';
import type { ArmReader } from './types.js';

export interface ArmAccess {
  getToken(signal?: AbortSignal): Promise<CheckedToken>;
  armOrigin: string;
  sender: SenderContext;
}

function checkArmPath(path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.includes('#')) {
    throw new RangeError(`an ARM path starts with '/', e.g. '/subscriptions'; got '${String(path).slice(0, 100)}'`);
  }
  if (/[?&]api-version=/i.test(path)) throw new RangeError('pass the api-version separately; the ARM reader appends it');
}

export class SessionArmReader implements ArmReader {
  constructor(private readonly access: ArmAccess) {}

  private async fetch(url: string, label: string): Promise<unknown> {
    const { token } = await this.access.getToken(this.access.sender.signal);
    const response = await sendWithRetries(this.access.sender, {
      method: 'GET',
      url,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      label,
    });
    return readJson(response, label);
  }

  private url(path: string, apiVersion: string): string {
    checkArmPath(path);
    if (!/^[\w.-]+$/.test(apiVersion)) throw new RangeError(`not an api-version: '${apiVersion.slice(0, 40)}'`);
    return `${this.access.armOrigin}${path}${path.includes('?') ? '&' : '?'}api-version=${apiVersion}`;
  }

  async get<T = unknown>(path: string, apiVersion: string): Promise<T> {
    return (await this.fetch(this.url(path, apiVersion), `GET ${path}`)) as T;
  }

  async list<T = unknown>(path: string, apiVersion: string): Promise<T[]> {
    const label = `GET ${path}`;
    const seen = new Set<string>();
    const items: unknown[] = [];
    let page = await this.fetch(this.url(path, apiVersion), label);
    for (;;) {
      items.push(...pageItems(page, label));
      const next = (page as Record<string, unknown>).nextLink;
      if (next === undefined || next === null || next === '') return items as T[];
      page = await this.fetch(checkNextLink(next, this.access.armOrigin, label, seen), label);
    }
  }
}
