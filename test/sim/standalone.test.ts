// The built standalone sim (dist/sim.js): prints what to paste, serves HTTPS with the printed
// certificate, writes a roster the CLI imports, stops cleanly on Ctrl+C, refuses bad arguments.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSandbox, projectRoot } from '../support/cli.js';
import { call } from './support.js';

const simJs = path.join(projectRoot, 'dist/sim.js');

describe('npm run sim (dist/sim.js)', () => {
  it('prints the URLs, environment and roster file, serves them, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [simJs, '--synthetic', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('Ctrl+C')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sim exited early (${code}): ${stdout}`)));
    });
    try {
      const env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.+)$/gm)].map((m) => [m[1], m[2]]));
      expect(Object.keys(env)).toEqual([
        'EXPEL_TRACK_CLOUD',
        'EXPEL_TRACK_AUTHORITY_HOST',
        'EXPEL_TRACK_GRAPH_URL',
        'EXPEL_TRACK_ARM_URL',
        'EXPEL_TRACK_AUTH',
        'EXPEL_TRACK_CLIENT_ID',
        'AZURE_CLIENT_ID',
        'AZURE_CLIENT_SECRET',
        'NODE_EXTRA_CA_CERTS',
      ]);
      expect(env.EXPEL_TRACK_CLOUD).toBe('custom');
      expect(stdout).toMatch(/expel-track config set expelAppIds\.mde [0-9a-f-]{36}/);
      const ca = readFileSync(env.NODE_EXTRA_CA_CERTS!, 'utf8');
      const discovery = await call({ ca }, `${env.EXPEL_TRACK_AUTHORITY_HOST}/contoso.example/v2.0/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      const token = await call({ ca }, `${env.EXPEL_TRACK_AUTHORITY_HOST}/contoso.example/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: env.AZURE_CLIENT_ID!, client_secret: env.AZURE_CLIENT_SECRET!, scope: 'https://graph.microsoft.com/.default' }).toString(),
      });
      expect(token.status).toBe(200);

      const rosterFile = /expel-track tenant import (\S+)/.exec(stdout)![1]!;
      const sandbox = makeSandbox();
      try {
        const imported = sandbox.run(['tenant', 'import', rosterFile]);
        expect(imported.stderr).toBe('');
        expect(imported.code).toBe(0);
        const listed = sandbox.run(['tenant', 'list', '--json']);
        expect(JSON.parse(listed.stdout)).toHaveLength(38 + 4);
      } finally {
        sandbox.cleanup();
      }
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('refuses bad arguments with a message and exit 1', () => {
    const result = spawnSync(process.execPath, [simJs, '--throttle-rate', '2'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/rate is a number from 0 to 1/);
    const help = spawnSync(process.execPath, [simJs, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--port-base/);
  });
});
