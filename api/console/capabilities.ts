import type { Router } from 'express';
import type { ConsoleKit } from './kit';
import { partnershipConsole } from '../partnership/console';
import { sectionsConsole } from '../partnership/sections-console';
import { historyConsole } from '../partnership/history-console';
import { closeConsole } from '../partnership/close-console';
import { partnerConsole } from '../partners/console';
import { resourcePages } from '../resources/console';
import { progressConsole } from '../resources/progress-console';
import { reviewConsole } from '../reviews/console';

/**
 * Each capability's console pages, mounted under /console behind sign-in and
 * CSRF (api/console/router.ts), in this order. A capability adds its pages in
 * `api/<capability>/console.ts`, their templates in `api/<capability>/templates/`
 * (found by ./views.ts), and one line here.
 */
export const CAPABILITY_CONSOLES: ReadonlyArray<(kit: ConsoleKit) => Router> = [
  partnershipConsole,
  sectionsConsole,
  historyConsole,
  closeConsole,
  partnerConsole,
  resourcePages,
  progressConsole,
  reviewConsole,
];
