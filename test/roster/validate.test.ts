import { describe, expect, it } from 'vitest';
import { mergeFields, tenantToFields, type TenantFields } from '../../src/roster/fields.js';
import {
  parseDateOrDateTime,
  parseDomain,
  parseEmail,
  parseGuid,
  validateTenant,
  type FieldProblem,
} from '../../src/roster/validate.js';

const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const NOW = new Date('2026-11-22T12:00:00Z');

function problemsOf(fields: TenantFields): FieldProblem[] {
  const result = validateTenant({ tenant_id: TENANT, name: 'Contoso', ...fields }, { now: NOW });
  return result.ok ? [] : result.problems;
}

function tenantOf(fields: TenantFields) {
  const result = validateTenant({ tenant_id: TENANT, name: 'Contoso', ...fields }, { now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.tenant;
}

describe('GUIDs', () => {
  it('accepts any case and braces, and normalises to lower case', () => {
    expect(parseGuid(' 6BABCAAD-604B-40AC-A9D7-9FD97C0B779F ')).toEqual({ ok: true, value: TENANT });
    expect(parseGuid(`{${TENANT}}`)).toEqual({ ok: true, value: TENANT });
  });
  it.each(['', 'contoso', '6babcaad604b40aca9d79fd97c0b779f', `${TENANT}x`, `${TENANT.slice(0, 35)}g`, '00000000-0000-0000-0000-000000000000'])(
    'refuses %j',
    (input) => expect(parseGuid(input).ok).toBe(false),
  );
});

describe('domains', () => {
  it.each([
    ['contoso.com', 'contoso.com'],
    ['Contoso.COM', 'contoso.com'],
    ['contoso.onmicrosoft.com.', 'contoso.onmicrosoft.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('accepts %s', (input, expected) => expect(parseDomain(input)).toEqual({ ok: true, value: expected }));

  it.each([
    ['https://contoso.com', /URL/],
    ['contoso.com/path', /URL/],
    ['admin@contoso.com', /email/],
    ['contoso com', /not a domain/],
    ['contoso', /not a domain/],
    ['contoso.com;evil', /not a domain/],
    ['contoso.com:443', /not a domain/],
    ['-contoso.com', /not a domain/],
    ['10.0.0.1', /IP address/],
    [`${'a'.repeat(64)}.com`, /not a domain/],
  ])('refuses %s', (input, message) => {
    const result = parseDomain(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('emails', () => {
  it('accepts plain addresses and lower-cases the domain', () => {
    expect(parseEmail('expel_analyst@Expel.IO')).toEqual({ ok: true, value: 'expel_analyst@expel.io' });
    expect(parseEmail(`${TENANT}@soc.expel.io`).ok).toBe(true);
  });
  it.each(['expel', '@expel.io', 'a@', 'a b@expel.io', 'a..b@expel.io', 'Ana <a@expel.io>', 'a@expel'])('refuses %j', (input) =>
    expect(parseEmail(input).ok).toBe(false),
  );
});

describe('dates', () => {
  it('keeps dates and normalises date-times with a zone to UTC', () => {
    expect(parseDateOrDateTime('2026-11-21', NOW)).toEqual({ ok: true, value: '2026-11-21' });
    expect(parseDateOrDateTime('2026-11-20T10:00:00Z', NOW)).toEqual({ ok: true, value: '2026-11-20T10:00:00.000Z' });
    expect(parseDateOrDateTime('2026-11-20T11:30+01:00', NOW)).toEqual({ ok: true, value: '2026-11-20T10:30:00.000Z' });
  });
  it.each([
    ['2026-02-30', /not a real date/],
    ['2026-13-01', /not a real date/],
    ['21/11/2026', /not a date/],
    ['2026-11-20T10:00:00', /no time zone/],
    ['2026-11-20T25:00:00Z', /not a real date-time/],
    ['2027-01-01', /in the future/],
  ])('refuses %s', (input, message) => {
    const result = parseDateOrDateTime(input, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('validateTenant', () => {
  it('builds a tenant from every field', () => {
    const tenant = tenantOf({
      tenant_id: TENANT.toUpperCase(),
      name: '  Contoso   Ltd ',
      domain: 'Contoso.com',
      org_guid: 'A123BC45-AA12-123B-8C9D-0123456789AB',
      guest_email: 'expel_analyst@expel.io',
      integrations: ['azure', 'MDE', 'mdi', 'm365', 'mde'],
      options: ['mde=custom', 'mde-console=RBAC', 'azure=enterprise', 'mdi=custom', 'm365=enterprise'],
      app_names: ['mdi=Expel Defender for Identity', 'azure=Expel, Cloud Service'],
      subscriptions: ['30FF7FC3-E762-44DD-BD96-B71116DCDC23', '20ff7fc3-e762-44dd-bd96-b71116dcdc23'],
      device_added: ['mde=2026-11-20T10:00:00Z', 'mdi=2026-11-21'],
      engagement_manager: 'Erin',
      engineer: 'Sam',
      started_on: '2026-11-01',
      notes: 'line one\nline two',
    });
    expect(tenant).toEqual({
      tenantId: TENANT,
      name: 'Contoso Ltd',
      domain: 'contoso.com',
      orgGuid: 'a123bc45-aa12-123b-8c9d-0123456789ab',
      guestEmail: 'expel_analyst@expel.io',
      engagementManager: 'Erin',
      engineer: 'Sam',
      startedOn: '2026-11-01',
      notes: 'line one line two',
      archived: false,
      integrations: ['mde', 'mdi', 'm365', 'azure'],
      options: { mde: 'custom', mdeConsole: 'rbac', azure: 'enterprise' },
      appNames: { mdi: 'Expel Defender for Identity', azure: 'Expel, Cloud Service' },
      subscriptions: ['20ff7fc3-e762-44dd-bd96-b71116dcdc23', '30ff7fc3-e762-44dd-bd96-b71116dcdc23'],
      deviceAdded: { mde: '2026-11-20T10:00:00.000Z', mdi: '2026-11-21' },
    });
  });

  it('strips terminal escapes and control characters from names', () => {
    expect(tenantOf({ name: '\u001b]0;pwned\u0007Con\u001b[31mtoso\u001b[0m\u0000' }).name).toBe('Contoso');
  });

  it('requires tenant_id and a name that is not empty after cleaning', () => {
    const result = validateTenant({ name: '\u001b[2J \t' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => problem.field)).toEqual(['tenant_id', 'name']);
  });

  it('reports an over-long value as an error instead of truncating it', () => {
    expect(problemsOf({ name: 'x'.repeat(121) })).toEqual([{ field: 'name', message: 'too long (121 characters; at most 120)' }]);
    expect(tenantOf({ name: 'é'.repeat(120) }).name).toHaveLength(120);
    expect(problemsOf({ notes: 'n'.repeat(2001) })[0]?.field).toBe('notes');
  });

  it('reports every problem at once, each with its field', () => {
    const problems = problemsOf({
      tenant_id: 'not-a-guid',
      domain: 'https://contoso.com',
      org_guid: '1234',
      guest_email: 'nobody',
      integrations: ['mde', 'sentinel', 'access'],
      started_on: '2026-02-29',
      subscriptions: ['sub-1'],
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      'tenant_id',
      'domain',
      'org_guid',
      'guest_email',
      'integrations',
      'integrations',
      'subscriptions',
      'started_on',
    ]);
  });

  it.each<[TenantFields, RegExp]>([
    [{ integrations: ['mdi'], options: ['mdi=enterprise'] }, /mdi always uses a custom app registration/],
    [{ integrations: ['m365'], options: ['m365=custom'] }, /m365 always uses the Expel enterprise app/],
    [{ integrations: ['mde'], options: ['mde=premium'] }, /mde must be enterprise or custom/],
    [{ integrations: ['mde'], options: ['mde-console=full'] }, /mde-console must be basic or rbac/],
    [{ integrations: ['mde'], options: ['sentinel=custom'] }, /unknown option 'sentinel'/],
    [{ integrations: ['mde'], options: ['custom'] }, /not key=value/],
    [{ integrations: ['mdi'], options: ['azure=custom'] }, /azure is set but azure is not in integrations/],
    [{ integrations: ['mdi'], options: ['mde-console=rbac'] }, /mde-console is set but mde is not in integrations/],
    [{ integrations: ['mde'], options: ['mde=custom', 'mde=enterprise'] }, /given twice/],
    [{ integrations: ['m365'], app_names: ['m365=Expel'] }, /no custom app name/],
    [{ integrations: ['mdi'], app_names: ['sentinel=X'] }, /unknown integration 'sentinel'/],
    [{ integrations: ['mdi'], app_names: ['azure=X'] }, /not in integrations/],
    [{ integrations: ['mdi'], app_names: ['mdi=\u001b[0m'] }, /empty app name/],
    [{ integrations: ['mde'], device_added: ['mdi=2026-11-20'] }, /mdi is given but mdi is not in integrations/],
    [{ integrations: ['mde'], device_added: ['mde=yesterday'] }, /mde: 'yesterday' is not a date/],
  ])('refuses bad integration details %j', (fields, message) => {
    const problems = problemsOf(fields);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(message);
  });

  it('defaults options for integrations in scope and empties optional fields', () => {
    const tenant = tenantOf({ integrations: ['mde', 'azure'], domain: '  ', notes: '' });
    expect(tenant.options).toEqual({ mde: 'enterprise', mdeConsole: 'basic', azure: 'enterprise' });
    expect(tenant.domain).toBeNull();
    expect(tenant.notes).toBeNull();
  });
});

describe('editing through fields', () => {
  const stored = tenantOf({
    integrations: ['mde', 'azure'],
    options: ['mde=custom', 'mde-console=rbac', 'azure=custom'],
    app_names: ['azure=Expel Azure'],
    device_added: ['mde=2026-11-20'],
    notes: 'keep',
  });

  it('round-trips a stored tenant unchanged', () => {
    expect(tenantOf(tenantToFields(stored))).toEqual(stored);
  });

  it('changes only the given keys of key=value fields; an empty value removes a key', () => {
    const merged = mergeFields(tenantToFields(stored), { options: ['azure=enterprise'], device_added: ['mde='] });
    const tenant = tenantOf(merged);
    expect(tenant.options).toEqual({ mde: 'custom', mdeConsole: 'rbac', azure: 'enterprise' });
    expect(tenant.deviceAdded).toEqual({});
    expect(tenant.notes).toBe('keep');
  });

  it('drops stored details of integrations taken out of scope, but reports new ones given for them', () => {
    const narrowed = tenantOf(mergeFields(tenantToFields(stored), { integrations: ['mde'] }));
    expect(narrowed.options.azure).toBe('enterprise');
    expect(narrowed.appNames).toEqual({});
    expect(narrowed.deviceAdded).toEqual({ mde: '2026-11-20' });

    const conflicting = mergeFields(tenantToFields(stored), { integrations: ['mde'], app_names: ['azure=New'] });
    expect(problemsOf(conflicting)[0]?.message).toMatch(/azure is given but azure is not in integrations/);
  });
});
