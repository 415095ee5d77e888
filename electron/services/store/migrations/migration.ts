import type Database from 'better-sqlite3';

/** One numbered step of the desktop store's schema; `up` runs inside the step's transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
