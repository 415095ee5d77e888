import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Real server processes for multi-process tests and benchmarks. The server is bundled once with
 * esbuild so a restart takes a few hundred milliseconds instead of tsx's transpile-on-load; the bundle is exactly server/src/main.ts, the CLI `npm run server` runs.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let bundled: Promise<string> | undefined;

/** Builds node_modules/.cache/ledgerdesk/server-main.mjs (inside the project, so packages resolve). */
export function serverBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(ROOT, 'node_modules', '.cache', 'ledgerdesk', 'server-main.mjs');
    mkdirSync(dirname(outfile), { recursive: true });
    await build({
      entryPoints: [join(ROOT, 'server', 'src', 'main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // npm packages stay external: bundling them too was measured no faster to start (~0.85 s,
      // dominated by connecting, migrating and the first sequencer pass), and riskier.
      packages: 'external',
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves when the process has exited (any cause). */
  exited: Promise<void>;
  /** SIGKILL: no shutdown hook runs, open transactions die with their connections. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** Starts `server/src/main.ts` (bundled) with PORT=0 and resolves once it prints the URL it listens on. */
export async function spawnServer(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ServerProcess> {
  const entry = await serverBundle();
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  let output = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = LISTENING.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  // Keep draining the pipes so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  const pid = child.pid ?? -1;
  return {
    url,
    pid,
    child,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
