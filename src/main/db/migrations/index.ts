import { sql as m0001 } from './0001_init'
import { sql as m0002 } from './0002_taxonomy_tasks'
import { sql as m0003 } from './0003_audit_guards'
import { sql as m0004 } from './0004_runs'
import { sql as m0005 } from './0005_model_prices'
import { sql as m0006 } from './0006_review'
import { sql as m0007 } from './0007_review_packets'
import { sql as m0008 } from './0008_jury_calibration'
import { sql as m0009 } from './0009_import_staging'
import { sql as m0010 } from './0010_sessions_request_failures'
import { sql as m0011 } from './0011_egress_pinning'
import { sql as m0012 } from './0012_scoring_passes'
import { sql as m0013 } from './0013_drop_request_cache_key_index'

export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * Every migration, in order. Append only: an applied migration is never edited (its checksum is
 * recorded and checked at every open). A new migration gets the next number and a test.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'init', sql: m0001 },
  { version: 2, name: 'taxonomy_tasks', sql: m0002 },
  { version: 3, name: 'audit_guards', sql: m0003 },
  { version: 4, name: 'runs', sql: m0004 },
  { version: 5, name: 'model_prices', sql: m0005 },
  { version: 6, name: 'review', sql: m0006 },
  { version: 7, name: 'review_packets', sql: m0007 },
  { version: 8, name: 'jury_calibration', sql: m0008 },
  { version: 9, name: 'import_staging', sql: m0009 },
  { version: 10, name: 'sessions_request_failures', sql: m0010 },
  { version: 11, name: 'egress_pinning', sql: m0011 },
  { version: 12, name: 'scoring_passes', sql: m0012 },
  { version: 13, name: 'drop_request_cache_key_index', sql: m0013 },
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
