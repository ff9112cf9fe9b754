import { createActivityContext, type ActivityDeps } from './activity-context';
import { humanTaskActivities } from './human-tasks/activities';
import { notificationActivities } from './notifications/activities';
import { partnerActivities } from './partners/activities';
import { partnershipActivities } from './partnership/activities';
import { resourceActivities } from './resources/activities';
import { reviewActivities } from './reviews/activities';

/**
 * Every activity the worker registers, composed from each capability's
 * factory over one shared context (activity-context.ts), so tests and the
 * worker inject real or test dependencies. An activity's name is its key
 * here: running workflows schedule activities by name, so a name never
 * changes and no two capabilities use the same one.
 */
export function createActivities(deps: ActivityDeps) {
  const ctx = createActivityContext(deps);
  return {
    ...humanTaskActivities(ctx),
    ...notificationActivities(ctx),
    ...partnershipActivities(ctx),
    ...partnerActivities(ctx),
    ...resourceActivities(ctx),
    ...reviewActivities(ctx),
  };
}

export type Activities = ReturnType<typeof createActivities>;
