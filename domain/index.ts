/** The pure, deterministic core shared by workflows, activities and the API. */
export * from './phases';
export * from './catalogue';
export * from './schemas';
export * from './names';
export * from './rule-error';
export * from './durations';
export * from './partnership-state';
export * from './approval-state';
