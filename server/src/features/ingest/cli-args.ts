export interface IngestArgs {
  format?: string;
  dryRun: boolean;
  json: boolean;
  files: string[];
}

export const INGEST_USAGE = 'usage: npm run ingest -- [--format NAME] [--dry-run] [--json] FILE...';

/** Parses the ingest command line; a string is the reason it is not valid. */
export function parseIngestArgs(argv: readonly string[]): IngestArgs | string {
  const args: IngestArgs = { dryRun: false, json: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      args.files.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--json') args.json = true;
    else if (a === '--format') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return '--format needs a format name';
      args.format = next;
      i += 1;
    } else if (a.startsWith('--format=')) args.format = a.slice('--format='.length);
    else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else args.files.push(a);
  }
  if (args.files.length === 0) return 'no file given';
  return args;
}
