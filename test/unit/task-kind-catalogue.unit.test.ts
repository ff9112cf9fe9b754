import { taskKinds } from '../../domain/human-tasks/kinds';
import { TASK_KIND_KEYS } from '../../domain/human-tasks/task-kind';
import { LANGUAGES } from '../../domain/language';
import { CATALOGUES } from '../../infra/i18n';

/**
 * A kind's words are catalogue keys (domain/human-tasks/task-kind.ts): without
 * them its task page and emails would show the key itself. Every registered
 * kind has `tasks:<id>.*` in all six languages, and a kind decided in the
 * approver's inbox also names itself in the inbox's title and the digest's link.
 */
test('every registered kind has its words in all six catalogues', () => {
  const at = (language: string, path: string[]) => path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], CATALOGUES[language as 'en']);
  const missing: string[] = [];
  for (const kind of taskKinds()) {
    for (const language of LANGUAGES) {
      const keys = [
        ...TASK_KIND_KEYS[kind.answeredBy].map((k) => ['tasks', kind.id, k]),
        ...(kind.inbox ? [['pages', 'inbox', 'kind', kind.id], ['emails', 'digest', 'kind', kind.id]] : []),
      ];
      for (const path of keys) if (typeof at(language, path) !== 'string') missing.push(`${language} ${path[0]}:${path.slice(1).join('.')}`);
    }
  }
  expect(taskKinds().length).toBeGreaterThanOrEqual(8);
  expect(missing).toEqual([]);
});
