// Where the tracker reaches Microsoft: national clouds, custom endpoints, env over settings.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { nationalCloud, parseHttpsOrigin, resolveCloudConfig } from '../../src/microsoft/clouds.js';

describe('national clouds (microsoft-apis.md §10)', () => {
  it.each([
    ['public', 'https://login.microsoftonline.com', 'https://graph.microsoft.com', 'https://management.azure.com'],
    ['usgov', 'https://login.microsoftonline.us', 'https://graph.microsoft.us', 'https://management.usgovcloudapi.net'],
    ['usgov-dod', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us', 'https://management.usgovcloudapi.net'],
    ['china', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn', 'https://management.chinacloudapi.cn'],
  ] as const)('%s', (cloud, authorityHost, graphUrl, armUrl) => {
    const endpoints = nationalCloud(cloud);
    expect(endpoints).toMatchObject({ cloud, authorityHost, graphUrl, armUrl, disableInstanceDiscovery: false });
    expect(endpoints.graphScope).toBe(`${graphUrl}/.default`);
    expect(endpoints.armScope).toBe(`${armUrl}/.default`);
    expect(endpoints.authorityOrigins).toContain(authorityHost);
  });

  it('defaults to public, device code, the library default client app', () => {
    expect(resolveCloudConfig({}, {})).toMatchObject({ endpoints: { cloud: 'public' }, auth: 'device-code', clientId: undefined });
  });
});

describe('custom endpoints', () => {
  const env = {
    EXPEL_TRACK_CLOUD: 'custom',
    EXPEL_TRACK_AUTHORITY_HOST: 'https://login.sim.test:8443/',
    EXPEL_TRACK_GRAPH_URL: 'https://graph.sim.test:8444',
    EXPEL_TRACK_ARM_URL: 'https://ARM.sim.test',
  };

  it('uses the custom hosts, public scopes by default, and no instance discovery', () => {
    expect(resolveCloudConfig({}, env).endpoints).toEqual({
      cloud: 'custom',
      authorityHost: 'https://login.sim.test:8443',
      graphUrl: 'https://graph.sim.test:8444',
      armUrl: 'https://arm.sim.test',
      graphScope: 'https://graph.microsoft.com/.default',
      armScope: 'https://management.azure.com/.default',
      disableInstanceDiscovery: true,
      authorityOrigins: ['https://login.sim.test:8443'],
      cloudInstanceName: null,
    });
  });

  it('takes scope overrides', () => {
    const endpoints = resolveCloudConfig({}, { ...env, EXPEL_TRACK_GRAPH_SCOPE: 'api://graph/.default', EXPEL_TRACK_ARM_SCOPE: 'api://arm/.default' }).endpoints;
    expect([endpoints.graphScope, endpoints.armScope]).toEqual(['api://graph/.default', 'api://arm/.default']);
    expect(() => resolveCloudConfig({}, { ...env, EXPEL_TRACK_GRAPH_SCOPE: 'two scopes' })).toThrow(UserError);
  });

  it.each([
    ['http://graph.sim.test', /https/],
    ['https://graph.sim.test/v1.0', /no path/],
    ['https://graph.sim.test?x=1', /no path/],
    ['https://user:pw@graph.sim.test', /credentials/],
    ['graph.sim.test', /https origin/],
    ['https://', /https origin/],
  ])('rejects %s', (value, message) => {
    expect(() => parseHttpsOrigin(value, 'EXPEL_TRACK_GRAPH_URL')).toThrow(message);
  });

  it('names every missing variable', () => {
    expect(() => resolveCloudConfig({ cloud: 'custom' }, {})).toThrow(/EXPEL_TRACK_AUTHORITY_HOST, EXPEL_TRACK_GRAPH_URL, EXPEL_TRACK_ARM_URL/);
  });

  it('refuses custom endpoints with a national cloud rather than ignoring them', () => {
    expect(() => resolveCloudConfig({}, { EXPEL_TRACK_GRAPH_URL: 'https://graph.sim.test' })).toThrow(/only used with cloud 'custom'/);
  });

  it('does not echo terminal escapes from a bad value', () => {
    try {
      parseHttpsOrigin('http://\u001b]0;pwned\u0007host', 'EXPEL_TRACK_ARM_URL');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('\u001b');
    }
  });
});

describe('precedence: environment over settings over defaults', () => {
  it('env wins', () => {
    const resolved = resolveCloudConfig(
      { cloud: 'china', auth: 'browser', clientId: '44444444-4444-4444-8444-444444444444' },
      { EXPEL_TRACK_CLOUD: 'usgov', EXPEL_TRACK_AUTH: 'azure-cli', EXPEL_TRACK_CLIENT_ID: '55555555-5555-4555-8555-555555555555' },
    );
    expect(resolved).toMatchObject({ endpoints: { cloud: 'usgov' }, auth: 'azure-cli', clientId: '55555555-5555-4555-8555-555555555555' });
  });

  it('settings win over defaults; blank env values count as unset', () => {
    const resolved = resolveCloudConfig({ cloud: 'china', auth: 'client-secret' }, { EXPEL_TRACK_CLOUD: ' ', EXPEL_TRACK_AUTH: '' });
    expect(resolved).toMatchObject({ endpoints: { cloud: 'china' }, auth: 'client-secret' });
  });

  it('in-process endpoints (the simulator) are overridden by the env ones', () => {
    const resolved = resolveCloudConfig(
      { cloud: 'custom', endpoints: { authorityHost: 'https://a.test', graphUrl: 'https://g.test', armUrl: 'https://r.test' } },
      { EXPEL_TRACK_GRAPH_URL: 'https://other-graph.test' },
    );
    expect(resolved.endpoints).toMatchObject({ authorityHost: 'https://a.test', graphUrl: 'https://other-graph.test', armUrl: 'https://r.test' });
  });

  it('says which source held a bad value', () => {
    expect(() => resolveCloudConfig({ cloud: 'mars' }, {})).toThrow(/setting cloud/);
    expect(() => resolveCloudConfig({}, { EXPEL_TRACK_AUTH: 'password' })).toThrow(/EXPEL_TRACK_AUTH must be one of device-code, browser, azure-cli, client-secret, client-certificate/);
    expect(() => resolveCloudConfig({}, { EXPEL_TRACK_CLIENT_ID: 'my-app' })).toThrow(/GUID/);
  });
});
