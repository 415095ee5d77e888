import * as m0001 from './0001_initial';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order. Never edit a released migration; add the next number. */
export const MIGRATIONS: readonly Migration[] = [{ version: 1, ...m0001 }];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
