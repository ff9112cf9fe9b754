/** The partnership page's "Substance" panel and the pages that write its sections (`/console/partnerships/:id/sections/:sectionId`). */
import { Router, type Request, type Response } from 'express';
import { actorDisplay } from '../../domain/actor';
import { catalogueItem } from '../../domain/partnership/catalogue';
import { SECTIONS, sectionDefinition, type SectionDefinition, type SectionView } from '../../domain/partnership/sections';
import { ORGANISATION_SOURCES } from '../../domain/resources/funding';
import { SectionWriteSchema } from '../../domain/partnership/schemas';
import { guideCitation, itemTitle } from '../../infra/i18n/checklist';
import { HttpError, toProblem } from '../errors';
import type { PartnershipReadModel } from './service';
import { actor } from '../console/access';
import { byField, fieldErrors, str, type FieldError } from '../console/forms';
import { fieldMessage, type ConsoleKit } from '../console/kit';
import { label } from '../console/labels';
import { pageLocale, type PageLocale } from '../console/locale';
import { said } from '../../domain/said';

/** Where a section is written in the console. */
export const sectionHref = (partnershipId: string, sectionId: string) => `/console/partnerships/${encodeURIComponent(partnershipId)}/sections/${sectionId}`;

const canAct = (p: PartnershipReadModel) => p.status !== 'closed' && !p.ended;

/** Who last changed a section and when, in the reader's words; '' when never written. */
function lastChange(s: SectionView, locale: PageLocale): string {
  const last = s.changes.at(-1);
  return last ? locale.t('sections.panel.written', { version: s.version, by: actorDisplay(last.by), at: locale.fmt.dateTime(last.at) }) : '';
}

/**
 * The partnership page's "Substance" panel: each written section in the
 * guide's order (the phase it is first asked for, then its dimension), whether
 * it is written and by whom, with a link to write it; the organisation's role,
 * which has its own page, among them.
 */
export function substancePanel(p: PartnershipReadModel, locale: PageLocale) {
  const { t } = locale;
  return {
    canAct: canAct(p),
    role: { label: label(t, 'role', p.organisationRole), href: `/console/partnerships/${encodeURIComponent(p.id)}/role` },
    sections: SECTIONS.map((def) => {
      const s = p.sections?.find((x) => x.id === def.id);
      return {
        id: def.id,
        name: t(`sections.names.${def.id}`),
        guide: guideCitation(locale.language, def.guideRef),
        phase: label(t, 'phase', def.phase),
        written: Boolean(s?.text.trim()),
        last: s ? lastChange(s, locale) : '',
        href: sectionHref(p.id, def.id),
      };
    }),
  };
}

/** The form's values as typed: the text, the SDG targets as one line, a note per source, the version the page was based on. */
interface SectionValues {
  text: string;
  sdgTargets: string;
  bySource: Record<string, string>;
  version: string;
}

const valuesOf = (s: SectionView): SectionValues => ({
  text: s.text,
  sdgTargets: (s.sdgTargets ?? []).join(', '),
  bySource: Object.fromEntries(ORGANISATION_SOURCES.map((src) => [src, s.bySource?.[src] ?? ''])),
  version: String(s.version),
});

/**
 * The partnership's written sections in the console (guide II.2.A–B): one page
 * per section with its text (and, for the issue, the SDG targets it serves;
 * for the organisation's own resources, a note per source), the checklist
 * items it is the substance of, and who changed it when. Saving sends the
 * version the page was opened at, so a save made after someone else's is
 * refused and both texts are shown side by side.
 */
export function sectionsConsole(kit: ConsoleKit): Router {
  const router = Router();
  const { services, render, flash, managed, me } = kit;

  const definitionOf = (req: Request): SectionDefinition => {
    const def = sectionDefinition(String(req.params.sectionId));
    if (!def) throw new HttpError(404, said('refusals:notFound.section', { id: String(req.params.sectionId) }));
    return def;
  };
  const sectionOf = (p: PartnershipReadModel, def: SectionDefinition): SectionView =>
    p.sections?.find((s) => s.id === def.id) ?? { id: def.id, text: '', changes: [], version: 0 };

  const renderSection = (
    req: Request,
    res: Response,
    p: PartnershipReadModel,
    def: SectionDefinition,
    values: SectionValues,
    errors: FieldError[] = [],
    theirs?: SectionView,
  ) => {
    const locale = pageLocale(req);
    const { t, fmt, language } = locale;
    const s = sectionOf(p, def);
    const name = t(`sections.names.${def.id}`);
    render(req, res, 'section-edit.njk', {
      title: `${name} — ${p.title}`,
      p,
      name,
      sectionId: def.id,
      hint: t(`sections.hints.${def.id}`),
      guide: guideCitation(language, def.guideRef),
      canAct: canAct(p),
      current: s,
      last: lastChange(s, locale),
      values,
      errors,
      e: byField(errors),
      theirs: theirs && {
        text: theirs.text,
        sdgTargets: (theirs.sdgTargets ?? []).join(', '),
        bySource: ORGANISATION_SOURCES.filter((src) => theirs.bySource?.[src]).map((src) => ({ label: t(`sections.sources.${src}`), text: theirs.bySource![src] })),
        heading: t('sections.page.theirs', { version: theirs.version, by: theirs.changes.at(-1) ? actorDisplay(theirs.changes.at(-1)!.by) : '', at: fmt.dateTime(theirs.changes.at(-1)?.at) }),
      },
      sources: ORGANISATION_SOURCES.map((src) => ({ id: src, label: t(`sections.sources.${src}`) })),
      items: def.items.map((id) => {
        const item = catalogueItem(id)!;
        const entry = p.checklist.find((c) => c.id === id);
        return { id, title: itemTitle(language, item), phase: label(t, 'phase', item.phase), done: Boolean(entry?.done), href: `/console/partnerships/${encodeURIComponent(p.id)}#item-${id}`, current: item.phase === p.phase };
      }),
      changes: [...s.changes].reverse().map((c) => ({
        line: t('sections.page.change', { version: c.version, by: actorDisplay(c.by), at: fmt.dateTime(c.at), phase: label(t, 'phase', c.phase), cycle: c.cycle }),
      })),
      earlier: s.earlierChanges ?? 0,
    }, errors.length ? (theirs ? 409 : 400) : 200);
  };

  router.get('/partnerships/:id/sections/:sectionId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const def = definitionOf(req);
    renderSection(req, res, p, def, valuesOf(sectionOf(p, def)));
  });

  router.post('/partnerships/:id/sections/:sectionId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const def = definitionOf(req);
    const { t } = pageLocale(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sourceNotes = (body.bySource ?? {}) as Record<string, unknown>;
    // A browser sends a textarea's line breaks as CRLF; the partnership's text keeps plain line breaks.
    const lines = (v: unknown) => str(v).replace(/\r\n?/g, '\n');
    const values: SectionValues = {
      text: lines(body.text),
      sdgTargets: str(body.sdgTargets),
      bySource: Object.fromEntries(ORGANISATION_SOURCES.map((src) => [src, lines(sourceNotes[src])])),
      version: str(body.version),
    };
    const targets = values.sdgTargets.split(/[,;\s]+/).map((x) => x.trim()).filter(Boolean);
    const notes = Object.fromEntries(Object.entries(values.bySource).filter(([, v]) => v));
    const parsed = SectionWriteSchema.safeParse({
      text: values.text,
      ...(def.id === 'issue-context' && targets.length ? { sdgTargets: targets } : {}),
      ...(def.id === 'own-resources' && Object.keys(notes).length ? { bySource: notes } : {}),
      by: actor(me(req)),
    });
    if (!parsed.success) {
      const errors = fieldErrors(
        parsed.error,
        (f) => (f.startsWith('bySource-') ? t(`sections.sources.${f.slice('bySource-'.length)}`) : t(`sections.page.fields.${f}`, { defaultValue: f })),
        {},
        (path) => (path[0] === 'sdgTargets' ? ['sdgTargets'] : path),
        fieldMessage(t),
      ).map((x) => (x.field === 'text' && !values.text ? { ...x, text: t('sections.errors.text') } : x.field === 'sdgTargets' ? { ...x, text: t('sections.errors.sdgTargets') } : x));
      renderSection(req, res, p, def, values, errors);
      return;
    }
    try {
      const version = /^\d+$/.test(values.version) ? Number(values.version) : undefined;
      const saved = await services.partnership.writeSection(p.id, def.id, parsed.data, version);
      flash(req, { kind: 'success', title: t('sections.page.saved'), lines: [t('sections.page.savedText', { name: t(`sections.names.${def.id}`), version: saved.version })] });
      res.redirect(303, `/console/partnerships/${encodeURIComponent(p.id)}#substance`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      if (problem.status === 409 || problem.status === 428) {
        // Someone saved since this page was opened: what they saved is shown beside what was typed, and the form now
        // carries their version, so saving again is a deliberate choice to replace it.
        const fresh = await services.partnership.get(p.id);
        const theirs = sectionOf(fresh, def);
        if (problem.status === 428 || theirs.version !== typedVersion(values)) {
          renderSection(req, res, fresh, def, { ...values, version: String(theirs.version) }, [{ field: 'text', text: t('sections.errors.changedSinceOpened') }], theirs);
          return;
        }
      }
      renderSection(req, res, p, def, values, [{ field: 'text', text: kit.refusal(req, problem) }]);
    }
  });

  return router;
}

const typedVersion = (v: SectionValues) => (/^\d+$/.test(v.version) ? Number(v.version) : -1);
