// Saved AuthenticationRecords, one per (authority, client app, customer tenant). A record names
// the signed-in account (authority, homeAccountId, clientId, tenantId, username) so the next
// sign-in in that tenant picks the right cached account; it holds no token or secret, which is
// why it may live in a plain file in the user's data folder.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AuthRecordStore {
  load(key: string): string | undefined;
  save(key: string, serializedRecord: string): void;
}

export class MemoryAuthRecordStore implements AuthRecordStore {
  private readonly records = new Map<string, string>();
  load(key: string): string | undefined {
    return this.records.get(key);
  }
  save(key: string, serializedRecord: string): void {
    this.records.set(key, serializedRecord);
  }
}

interface RecordFile {
  version: 1;
  records: Record<string, string>;
}

/** Records in one JSON file (mode 0600), replaced atomically on every save. */
export class FileAuthRecordStore implements AuthRecordStore {
  constructor(readonly file: string) {}

  private read(): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = JSON.parse(text) as Partial<RecordFile>;
      const records = parsed?.records;
      if (parsed?.version !== 1 || !records || typeof records !== 'object') throw new Error('unknown layout');
      return Object.fromEntries(Object.entries(records).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      // Keep a damaged file aside instead of overwriting it; records can be obtained again.
      try {
        renameSync(this.file, `${this.file}.damaged-${Date.now()}`);
      } catch {
        /* already gone */
      }
      return {};
    }
  }

  load(key: string): string | undefined {
    return this.read()[key];
  }

  save(key: string, serializedRecord: string): void {
    const records = { ...this.read(), [key]: serializedRecord };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const content: RecordFile = { version: 1, records };
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
