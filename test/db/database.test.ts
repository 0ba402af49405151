import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { defaultDatabasePath, openDatabase, userVersion, type Database } from '../../src/db/database.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../../src/db/migrations.js';
import { catchError, tempDir } from './helpers.js';

const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';

describe('openDatabase', () => {
  let temp: ReturnType<typeof tempDir>;
  const opened: Database[] = [];
  const open = (...args: Parameters<typeof openDatabase>): Database => {
    const db = openDatabase(...args);
    opened.push(db);
    return db;
  };
  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
    temp?.cleanup();
  });

  it('creates the parent folder and a WAL database at the latest schema with the pragmas set', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'nested', 'deeper', 'roster.db');
    const db = open(file);
    expect(existsSync(file)).toBe(true);
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const table of ['tenants', 'tenant_integrations', 'tenant_subscriptions', 'check_runs', 'check_run_tenants', 'verdicts', 'attestations']) {
      expect(tables).toContain(table);
    }
  });

  it('opens an existing database again without re-running migrations', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'roster.db');
    const first = open(file);
    first.prepare("INSERT INTO tenants (tenant_id, name, created_at, updated_at) VALUES (?, 'Contoso', 'x', 'x')").run(TENANT);
    first.close();
    const second = open(file);
    expect(second.prepare('SELECT name FROM tenants').pluck().get()).toBe('Contoso');
  });

  it('upgrades a database left by an older schema (user_version 0 with data) and keeps that data', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'roster.db');
    const old = new BetterSqlite3(file);
    old.exec("CREATE TABLE legacy_notes (body TEXT); INSERT INTO legacy_notes VALUES ('keep me')");
    expect(userVersion(old)).toBe(0);
    old.close();

    const db = open(file);
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT body FROM legacy_notes').pluck().all()).toEqual(['keep me']);
    expect(db.prepare('SELECT count(*) FROM tenants').pluck().get()).toBe(0);
  });

  it('applies a later migration to a database at version 1 and keeps its tenants', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'roster.db');
    const v1 = open(file, { migrations: MIGRATIONS.slice(0, 1) });
    v1.prepare("INSERT INTO tenants (tenant_id, name, created_at, updated_at) VALUES (?, 'Contoso', 'x', 'x')").run(TENANT);
    v1.close();

    const next: Migration = { version: 2, name: 'add a colour', up: "ALTER TABLE tenants ADD COLUMN colour TEXT DEFAULT 'blue'" };
    const v2 = open(file, { migrations: [...MIGRATIONS.slice(0, 1), next] });
    expect(userVersion(v2)).toBe(2);
    expect(v2.prepare('SELECT name, colour FROM tenants').get()).toEqual({ name: 'Contoso', colour: 'blue' });
  });

  it('upgrades every database version this program has shipped to the latest, keeping the roster', () => {
    for (let version = 1; version < LATEST_SCHEMA_VERSION; version += 1) {
      temp?.cleanup();
      temp = tempDir();
      const file = path.join(temp.dir, 'roster.db');
      const old = open(file, { migrations: MIGRATIONS.slice(0, version) });
      old.prepare("INSERT INTO tenants (tenant_id, name, created_at, updated_at) VALUES (?, 'Contoso', 'x', 'x')").run(TENANT);
      old.close();
      const db = open(file);
      expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare('SELECT name FROM tenants').pluck().all()).toEqual(['Contoso']);
    }
  });

  it('rolls back a failing migration completely and leaves the version where it was', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'roster.db');
    open(file, { migrations: MIGRATIONS.slice(0, 1) }).close();
    const broken: Migration = {
      version: 2,
      name: 'half-done change',
      up: 'CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => open(file, { migrations: [...MIGRATIONS.slice(0, 1), broken] })).toThrow(/schema version 2 \(half-done change\).*left at version 1/);
    const db = open(file, { migrations: MIGRATIONS.slice(0, 1) });
    expect(userVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
  });

  it('refuses a database from a newer expel-track and leaves it byte-for-byte untouched', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'roster.db');
    const newer = new BetterSqlite3(file);
    newer.exec('CREATE TABLE future (x)');
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    newer.close();
    const before = readFileSync(file);

    const error = catchError(() => open(file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('newer expel-track');
    expect(error.message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 5}`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite and leaves it byte-for-byte untouched', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'notes.txt');
    const content = Buffer.from('tenant_id,name\nthis is not a database at all, just some text\n');
    writeFileSync(file, content);
    const error = catchError(() => open(file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('not a SQLite database');
    expect(readFileSync(file).equals(content)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a file with a SQLite header but corrupt content, untouched', () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'corrupt.db');
    const content = Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(4000, 0xab)]);
    writeFileSync(file, content);
    const error = catchError(() => open(file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('left untouched');
    expect(readFileSync(file).equals(content)).toBe(true);
  });

  it('refuses a folder given as the database path', () => {
    temp = tempDir();
    expect(() => open(temp.dir)).toThrow(/not a file/);
  });

  it('refuses migrations that are not numbered 1, 2, 3 in order (a programming error)', () => {
    const gap: Migration[] = [{ version: 1, name: 'a', up: '' }, { version: 3, name: 'c', up: '' }];
    expect(() => open(':memory:', { migrations: gap })).toThrow(/numbered 3/);
  });
});

describe('defaultDatabasePath', () => {
  it('follows XDG_DATA_HOME on Linux', () => {
    expect(defaultDatabasePath({ XDG_DATA_HOME: '/data', HOME: '/home/ana' }, 'linux')).toBe('/data/expel-track/roster.db');
  });
  it('falls back to ~/.local/share on Linux, ignoring a relative XDG_DATA_HOME', () => {
    expect(defaultDatabasePath({ HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.local/share/expel-track/roster.db');
    expect(defaultDatabasePath({ HOME: '/home/ana', XDG_DATA_HOME: 'rel' }, 'linux')).toBe('/home/ana/.local/share/expel-track/roster.db');
  });
  it('uses Application Support on macOS and LOCALAPPDATA on Windows', () => {
    expect(defaultDatabasePath({ HOME: '/Users/ana' }, 'darwin')).toBe('/Users/ana/Library/Application Support/expel-track/roster.db');
    expect(defaultDatabasePath({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32')).toBe(
      'C:\\Users\\ana\\AppData\\Local\\expel-track\\roster.db',
    );
  });
});
