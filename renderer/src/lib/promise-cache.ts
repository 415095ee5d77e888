/**
 * A few answers from the bridge, by key, held while they may still be wanted: the first caller
 * starts the call, later ones share it. Bounded (the oldest goes first); a failed call is not
 * kept, so the next caller tries again.
 */
export interface PromiseCache<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  /** The value if it has already arrived (so a render need not wait on a resolved promise). */
  arrived(key: string): T | undefined;
  delete(key: string): void;
  clear(): void;
}

interface Entry<T> {
  loading: Promise<T>;
  value?: T;
}

export function createPromiseCache<T>(max: number): PromiseCache<T> {
  const entries = new Map<string, Entry<T>>();
  return {
    get(key, load) {
      const held = entries.get(key);
      if (held) return held.loading;
      const entry: Entry<T> = { loading: load() };
      entry.loading.then(
        (value) => {
          entry.value = value;
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      entries.set(key, entry);
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return entry.loading;
    },
    arrived: (key) => entries.get(key)?.value,
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}
