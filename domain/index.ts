/** The pure, deterministic core shared by workflows, activities and the API. */
export * from './partnership/phases';
export * from './partnership/catalogue';
export * from './schemas';
export * from './names';
export * from './rule-error';
export * from './durations';
export * from './partnership/partnership-state';
export * from './partners/partner-map';
export * from './resources/partnership-resources';
export * from './reviews/partnership-reviews';
export * from './human-tasks/approval-state';
