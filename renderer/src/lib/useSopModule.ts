import { useEffect, useState } from 'react';
import type { SopModule } from '@shared/sop/module';
import { call } from '../bridge';

/**
 * The SOP module version an operator followed (synced with the rest), for reading their answers
 * with the labels they saw; null until it arrives or when it is not on this computer.
 */
export function useSopModule(ref: { moduleId: string; version: string } | null): SopModule | null {
  const [module, setModule] = useState<SopModule | null>(null);
  const moduleId = ref?.moduleId ?? null;
  const version = ref?.version ?? null;
  useEffect(() => {
    if (moduleId === null || version === null) return;
    let live = true;
    call('sop.get', { moduleId, version })
      .then((r) => live && setModule(r.module))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [moduleId, version]);
  return moduleId === null ? null : module;
}
