// Where the tracker reaches Microsoft: the national clouds of microsoft-apis.md §10 and custom
// endpoints (contract.md "Where it reaches Microsoft"), plus the auth method and client app.
//
// Precedence, highest first: EXPEL_TRACK_* environment variables, then the settings passed in
// (the `config` keys cloud, auth, clientId, …), then the defaults below.
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';

export const CLOUD_NAMES = ['public', 'usgov', 'usgov-dod', 'china', 'custom'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export const AUTH_METHODS = ['device-code', 'browser', 'azure-cli', 'client-secret', 'client-certificate'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface CloudEndpoints {
  cloud: CloudName;
  /** https origin of the sign-in authority, no trailing slash: 'https://login.microsoftonline.com'. */
  authorityHost: string;
  /** https origin of Microsoft Graph (the tracker adds /v1.0 and /beta). */
  graphUrl: string;
  /** https origin of Azure Resource Manager. */
  armUrl: string;
  graphScope: string;
  armScope: string;
  /** Custom authorities are not known to Microsoft's instance discovery, so it is turned off. */
  disableInstanceDiscovery: boolean;
  /** Origins that may receive token (and device-code) POSTs: the authority and its aliases. */
  authorityOrigins: string[];
  /** `cloud_instance_name` that OpenID discovery reports for this cloud's tenants; null when unknown (custom). */
  cloudInstanceName: string | null;
}

type NationalCloud = Exclude<CloudName, 'custom'>;

// §10. The ARM and login aliases for US Gov and China are common knowledge, not re-verified there.
const NATIONAL: Record<NationalCloud, Omit<CloudEndpoints, 'cloud' | 'disableInstanceDiscovery'>> = {
  public: {
    authorityHost: 'https://login.microsoftonline.com',
    graphUrl: 'https://graph.microsoft.com',
    armUrl: 'https://management.azure.com',
    graphScope: 'https://graph.microsoft.com/.default',
    armScope: 'https://management.azure.com/.default',
    authorityOrigins: [
      'https://login.microsoftonline.com',
      'https://login.microsoft.com',
      'https://login.windows.net',
      'https://sts.windows.net',
    ],
    cloudInstanceName: 'microsoftonline.com',
  },
  usgov: {
    authorityHost: 'https://login.microsoftonline.us',
    graphUrl: 'https://graph.microsoft.us',
    armUrl: 'https://management.usgovcloudapi.net',
    graphScope: 'https://graph.microsoft.us/.default',
    armScope: 'https://management.usgovcloudapi.net/.default',
    authorityOrigins: ['https://login.microsoftonline.us', 'https://login.usgovcloudapi.net'],
    cloudInstanceName: 'microsoftonline.us',
  },
  'usgov-dod': {
    authorityHost: 'https://login.microsoftonline.us',
    graphUrl: 'https://dod-graph.microsoft.us',
    armUrl: 'https://management.usgovcloudapi.net',
    graphScope: 'https://dod-graph.microsoft.us/.default',
    armScope: 'https://management.usgovcloudapi.net/.default',
    authorityOrigins: ['https://login.microsoftonline.us', 'https://login.usgovcloudapi.net'],
    cloudInstanceName: 'microsoftonline.us',
  },
  china: {
    authorityHost: 'https://login.chinacloudapi.cn',
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    armUrl: 'https://management.chinacloudapi.cn',
    graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
    armScope: 'https://management.chinacloudapi.cn/.default',
    authorityOrigins: ['https://login.chinacloudapi.cn', 'https://login.partner.microsoftonline.cn'],
    cloudInstanceName: 'partner.microsoftonline.cn',
  },
};

/** contract.md: with `custom`, scopes default to the public cloud's. */
const CUSTOM_DEFAULT_SCOPES = { graphScope: NATIONAL.public.graphScope, armScope: NATIONAL.public.armScope };

export interface CustomEndpointSettings {
  authorityHost?: string;
  graphUrl?: string;
  armUrl?: string;
}

/** The settings this module reads; a plain object so it does not depend on the settings store. */
export interface CloudSettings {
  cloud?: string;
  auth?: string;
  clientId?: string;
  /** Custom endpoints given in-process (e.g. by the simulator); env variables override them. */
  endpoints?: CustomEndpointSettings;
  graphScope?: string;
  armScope?: string;
}

export interface ResolvedCloudConfig {
  endpoints: CloudEndpoints;
  auth: AuthMethod;
  /** The tracker's public client app for delegated sign-in; undefined = @azure/identity's default. */
  clientId: string | undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (value: string): boolean => GUID.test(value);

/** Shows a configuration value in an error message without letting it disturb the terminal. */
const quote = (value: string): string => `'${cleanText(value).slice(0, 200)}'`;

/**
 * Validates an https origin (scheme https, a host, optional port, no path, query, fragment or
 * credentials) and returns it normalised ('https://host:port', no trailing slash).
 */
export function parseHttpsOrigin(value: string, name: string): string {
  const example = `an https origin such as https://graph.example.test:8443 (scheme, host, optional port; no path)`;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UserError(`${name} must be ${example}; got ${quote(value)}`);
  }
  if (url.protocol !== 'https:') throw new UserError(`${name} must use https; got ${quote(value)}`);
  if (!url.hostname) throw new UserError(`${name} has no host; got ${quote(value)}`);
  if (url.username || url.password) throw new UserError(`${name} must not contain credentials`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new UserError(`${name} must be ${example}; the tracker adds the path itself. Got ${quote(value)}`);
  }
  return url.origin;
}

function parseScope(value: string, name: string): string {
  const scope = value.trim();
  if (!scope || /\s/.test(scope)) throw new UserError(`${name} must be a single scope such as https://graph.microsoft.com/.default; got ${quote(value)}`);
  return scope;
}

function pick<T extends string>(allowed: readonly T[], value: string, name: string): T {
  const found = allowed.find((candidate) => candidate === value.trim().toLowerCase());
  if (!found) throw new UserError(`${name} must be one of ${allowed.join(', ')}; got ${quote(value)}`);
  return found;
}

/** A value from the environment, or undefined when unset or blank. */
function fromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** Resolves cloud, endpoints, scopes, auth method and client ID. Throws UserError with a clear message. */
export function resolveCloudConfig(settings: CloudSettings = {}, env: NodeJS.ProcessEnv = process.env): ResolvedCloudConfig {
  const cloudSource = fromEnv(env, 'EXPEL_TRACK_CLOUD') !== undefined ? 'EXPEL_TRACK_CLOUD' : 'setting cloud';
  const cloud = pick(CLOUD_NAMES, fromEnv(env, 'EXPEL_TRACK_CLOUD') ?? settings.cloud ?? 'public', cloudSource);
  const authSource = fromEnv(env, 'EXPEL_TRACK_AUTH') !== undefined ? 'EXPEL_TRACK_AUTH' : 'setting auth';
  const auth = pick(AUTH_METHODS, fromEnv(env, 'EXPEL_TRACK_AUTH') ?? settings.auth ?? 'device-code', authSource);

  const rawClientId = fromEnv(env, 'EXPEL_TRACK_CLIENT_ID') ?? settings.clientId;
  if (rawClientId !== undefined && !isGuid(rawClientId.trim())) {
    throw new UserError(`the tracker client app ID (EXPEL_TRACK_CLIENT_ID / clientId) must be a GUID; got ${quote(rawClientId)}`);
  }
  const clientId = rawClientId?.trim().toLowerCase();

  const custom: Record<keyof CustomEndpointSettings, { env: string; value: string | undefined }> = {
    authorityHost: { env: 'EXPEL_TRACK_AUTHORITY_HOST', value: fromEnv(env, 'EXPEL_TRACK_AUTHORITY_HOST') ?? settings.endpoints?.authorityHost },
    graphUrl: { env: 'EXPEL_TRACK_GRAPH_URL', value: fromEnv(env, 'EXPEL_TRACK_GRAPH_URL') ?? settings.endpoints?.graphUrl },
    armUrl: { env: 'EXPEL_TRACK_ARM_URL', value: fromEnv(env, 'EXPEL_TRACK_ARM_URL') ?? settings.endpoints?.armUrl },
  };
  const graphScopeRaw = fromEnv(env, 'EXPEL_TRACK_GRAPH_SCOPE') ?? settings.graphScope;
  const armScopeRaw = fromEnv(env, 'EXPEL_TRACK_ARM_SCOPE') ?? settings.armScope;

  let endpoints: CloudEndpoints;
  if (cloud === 'custom') {
    const missing = Object.values(custom).filter((entry) => entry.value === undefined).map((entry) => entry.env);
    if (missing.length > 0) {
      throw new UserError(`cloud 'custom' needs ${missing.join(', ')} (https origins of the authority, Graph and ARM)`);
    }
    const authorityHost = parseHttpsOrigin(custom.authorityHost.value!, custom.authorityHost.env);
    endpoints = {
      cloud,
      authorityHost,
      graphUrl: parseHttpsOrigin(custom.graphUrl.value!, custom.graphUrl.env),
      armUrl: parseHttpsOrigin(custom.armUrl.value!, custom.armUrl.env),
      ...CUSTOM_DEFAULT_SCOPES,
      disableInstanceDiscovery: true,
      authorityOrigins: [authorityHost],
      cloudInstanceName: null,
    };
  } else {
    const stray = Object.values(custom).filter((entry) => entry.value !== undefined).map((entry) => entry.env);
    if (stray.length > 0) {
      throw new UserError(`${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} only used with cloud 'custom' (the cloud is '${cloud}'); set EXPEL_TRACK_CLOUD=custom or unset ${stray.length > 1 ? 'them' : 'it'}`);
    }
    endpoints = { cloud, ...NATIONAL[cloud], authorityOrigins: [...NATIONAL[cloud].authorityOrigins], disableInstanceDiscovery: false };
  }
  if (graphScopeRaw !== undefined) endpoints.graphScope = parseScope(graphScopeRaw, 'EXPEL_TRACK_GRAPH_SCOPE');
  if (armScopeRaw !== undefined) endpoints.armScope = parseScope(armScopeRaw, 'EXPEL_TRACK_ARM_SCOPE');
  return { endpoints, auth, clientId };
}

/** The endpoints of a national cloud (for documentation and tests). */
export function nationalCloud(cloud: NationalCloud): CloudEndpoints {
  return resolveCloudConfig({ cloud }, {}).endpoints;
}
