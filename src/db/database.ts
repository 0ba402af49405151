// Opens the roster database: refuses files it must not touch (not SQLite, or written by a newer
// expel-track) before writing a single byte, then brings the schema up to date.
import BetterSqlite3 from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { dataDirectory } from '../settings/paths.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Database = BetterSqlite3.Database;

export const DATABASE_FILE_NAME = 'roster.db';
const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/** `roster.db` in the user's data folder (XDG_DATA_HOME on Linux). */
export function defaultDatabasePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(dataDirectory(env, platform), DATABASE_FILE_NAME);
}

/**
 * The database a command should use: `--db` (commander already folds in EXPEL_TRACK_DB),
 * else the default location.
 */
export function databasePathFromOptions(globals: { db?: string }, env: NodeJS.ProcessEnv = process.env): string {
  return globals.db ? path.resolve(globals.db) : defaultDatabasePath(env);
}

export interface OpenDatabaseOptions {
  /** The schema to migrate to; tests pass older or extended lists. */
  migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const migrations = options.migrations ?? MIGRATIONS;
  assertMigrationsInOrder(migrations);
  const latest = migrations.length;
  const inMemory = file === ':memory:';
  if (!inMemory) {
    if (fileHasContent(file)) inspectExisting(file, latest);
    else mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }

  let db: Database;
  try {
    db = new BetterSqlite3(file, { timeout: 5000 });
  } catch (error) {
    throw new UserError(`cannot open the roster database ${file}: ${messageOf(error)}`);
  }
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    applyMigrations(db, migrations, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs every migration newer than the database's user_version, each in its own transaction. */
export function applyMigrations(db: Database, migrations: readonly Migration[], label = 'the database'): void {
  assertMigrationsInOrder(migrations);
  const current = userVersion(db);
  if (current > migrations.length) throw newerSchemaError(label, current, migrations.length);
  for (const migration of migrations.slice(current)) {
    const apply = db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply();
    } catch (error) {
      throw new UserError(
        `could not upgrade ${label} to schema version ${migration.version} (${migration.name}): ` +
          `${messageOf(error)}. The database was left at version ${userVersion(db)}.`,
      );
    }
  }
}

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function fileHasContent(file: string): boolean {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UserError(`cannot read the roster database ${file}: ${messageOf(error)}`);
  }
  if (!stats.isFile()) throw new UserError(`the roster database path ${file} is not a file`);
  // SQLite itself treats an empty file as an empty database.
  return stats.size > 0;
}

/** Checks an existing file without writing to it: SQLite header, then a read-only look at the schema. */
function inspectExisting(file: string, latest: number): void {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let read: number;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new UserError(`cannot read the roster database ${file}: ${messageOf(error)}`);
  }
  if (read < header.length || !header.equals(SQLITE_HEADER)) {
    throw new UserError(
      `${file} is not a SQLite database, so it cannot be the expel-track roster; it was left untouched. ` +
        'Point --db (or EXPEL_TRACK_DB) at another file.',
    );
  }
  let version: number;
  try {
    const probe = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      version = userVersion(probe);
      probe.prepare('SELECT count(*) FROM sqlite_master').get();
    } finally {
      probe.close();
    }
  } catch (error) {
    throw new UserError(`${file} is not a readable SQLite database (${messageOf(error)}); it was left untouched.`);
  }
  if (version > latest) throw newerSchemaError(file, version, latest);
}

function newerSchemaError(label: string, found: number, latest: number): UserError {
  return new UserError(
    `${label} was written by a newer expel-track (schema version ${found}; this version knows up to ${latest}). ` +
      'Upgrade expel-track to use it; the file was not changed.',
  );
}

function assertMigrationsInOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration ${index + 1} is numbered ${migration.version}; versions must be 1, 2, 3, … in order`);
    }
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
