import type { z } from 'zod';

/** One problem with what was typed: the id of the field it belongs to and what to do about it. */
export interface FieldError {
  field: string;
  text: string;
}

/** zod's path as a field id: `approvers.0.email` → `approvers-0-email`. */
export function fieldId(path: PropertyKey[]): string {
  return path.map(String).join('-') || 'form';
}

/**
 * zod issues as GOV.UK-style errors, first one per field: `labels` says what each
 * field is called and `overrides` replaces a message (e.g. zod's list of enum
 * values) with one that says what to do; `describe` words the others from the
 * field's label and zod's issue (in the reader's language, see the console's
 * `fieldMessage`).
 */
export function fieldErrors(
  error: z.ZodError,
  labels: (field: string) => string,
  overrides: Record<string, string> = {},
  remap: (path: PropertyKey[]) => PropertyKey[] = (p) => p,
  describe: (label: string, issue: z.core.$ZodIssue) => string = (label, issue) => `${label} ${issue.message}`,
): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = fieldId(remap(issue.path));
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, text: overrides[field] ?? describe(labels(field), issue) });
  }
  return out;
}

export function byField(errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, e.text]));
}

/** A form value as a trimmed string ('' when absent or not a string). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** Checkboxes arrive as nothing, one string or several. */
export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}
