import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { makeZip, type TestZipEntry } from './zip-writer';

/** The files of a shipped module folder (sops/<id>), as zip entries under `<id>/`. */
export function shippedModuleEntries(
  id: string,
  edit: (path: string, text: string) => string = (_p, t) => t,
): TestZipEntry[] {
  const root = join('sops', id);
  const out: TestZipEntry[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = relative(root, full).split(sep).join('/');
        out.push({ name: `${id}/${path}`, data: edit(path, readFileSync(full, 'utf8')) });
      }
    }
  };
  walk(root);
  return out;
}

/** A shipped module zipped with another version number. */
export function moduleZip(
  id: string,
  version: string,
  edit?: (path: string, text: string) => string,
): Buffer {
  return makeZip(
    shippedModuleEntries(id, (path, text) => {
      const t = path === 'module.yaml' ? text.replace(/^version: .*$/m, `version: ${version}`) : text;
      return edit ? edit(path, t) : t;
    }),
  );
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/** POST /api/sops/uploads with the file as the raw body. */
export function uploadSop(
  url: string,
  token: string | undefined,
  bytes: Buffer,
  query: Record<string, string>,
): Promise<RawResponse> {
  return postRaw(url, '/api/sops/uploads', token, bytes, query);
}

/** POSTs a file as the raw body to an upload route (SOP modules, ingest files). */
export async function postRaw(
  url: string,
  path: string,
  token: string | undefined,
  bytes: Uint8Array,
  query: Record<string, string>,
): Promise<RawResponse> {
  const res = await fetch(`${url}${path}?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}
