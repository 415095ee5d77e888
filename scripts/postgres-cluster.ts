import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster from the Debian packages, on loopback, for tests and benches
 * that need a real server. Returns null when the binaries are not installed.
 */
export interface PostgresCluster {
  url: string;
  /** The server's log (stderr), for benches that read checkpoints and lock waits from it. */
  logFile: string;
  stop(): void;
}

function findBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ClusterOptions {
  /**
   * Keep fsync and synchronous_commit on, as a production server would (benchmarks). Off by
   * default: tests want speed and never survive a machine crash anyway.
   */
  durable?: boolean;
  /** More `name=value` server settings (`-c`), e.g. log_checkpoints=on. */
  settings?: readonly string[];
}

export async function startPostgresCluster(opts: ClusterOptions = {}): Promise<PostgresCluster | null> {
  const bin = findBinDir();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const logFile = join(dir, 'server.log');
  // initdb refuses to run as root; CI runs as root, so drop to the postgres user there.
  const asPostgres = (cmd: string, args: string[]): void => {
    const isRoot = process.getuid?.() === 0;
    const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  asPostgres(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  asPostgres(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    logFile,
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 ` +
      (opts.durable ? '-c fsync=on -c synchronous_commit=on' : '-c fsync=off -c synchronous_commit=off') +
      (opts.settings ?? []).map((setting) => ` -c ${setting}`).join(''),
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    logFile,
    stop() {
      const isRoot = process.getuid?.() === 0;
      const args = ['-D', dataDir, '-m', 'fast', 'stop'];
      if (isRoot)
        spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else spawnSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
