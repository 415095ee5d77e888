import { stringify } from 'yaml';
import type { SopModule } from './module';
import type { SopFile } from './parse';

/**
 * A module back into the files of its folder (module.yaml, steps/*.md, exercises/*.yaml), so one
 * file uploaded on its own can replace its counterpart in the newest version and the whole
 * module be checked again by the one parser.
 */
export function moduleToFiles(m: SopModule): SopFile[] {
  const { stepList, exerciseList, ...manifest } = m;
  return [
    { path: 'module.yaml', text: stringify(manifest) },
    ...stepList.map(({ id, body, ...front }) => ({
      path: `steps/${id}.md`,
      text: `---\n${stringify(front)}---\n\n${body}\n`,
    })),
    ...exerciseList.map(({ id, ...exercise }) => ({
      path: `exercises/${id}.yaml`,
      text: stringify(exercise),
    })),
  ];
}
