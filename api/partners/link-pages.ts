/** The pages behind the partner contacts' emailed links (`/invitations/:token`): each onboarding step's page and form, and the agreement. */
import { TASK_KINDS } from '../../domain/human-tasks/kinds';
import { wordsOfKind } from '../pages/kind-words';
import { Router } from 'express';
import { PartnerAnswerSchema } from '../../domain/partners/schemas';
import type { Store } from '../../infra/store/store';
import { verifyTaskTokenOfKind, type LinkKeys, type TaskTokenClaims } from '../../infra/task-token';
import type { PdfPrinter } from '../../activities/documents/pdf-printer';
import { sendDocument } from '../documents/documents';
import { HttpError, isClosedWorkflow } from '../errors';
import { bodyOf } from '../input';
import { wantsJson } from '../pages/layout';
import { pageLanguage, renderPage } from '../pages/views';
import { refuseIfClosed } from '../pages/closed-requests';
import { answeredAt, isFinal, type OnboardingState } from '../../domain/partners/onboarding-state';
import { RuleError } from '../../domain/rule-error';
import { at, said } from '../../domain/said';
import { invitationView } from '../pages/link-views';
import type { Language } from '../../domain/language';
import { PRINCIPLES } from '../../domain/partners/principles';
import { translator } from '../../infra/i18n';
import type { PartnersService } from './service';

/**
 * Partner contacts' links. GET renders the page of the current onboarding
 * step (and never changes anything); POST submits that step's form to the
 * onboarding workflow, whose validator checks the contact, step and deadline.
 * Once the partnership has ended, the link answers 410 "closed" with no form,
 * unless the onboarding had ended on its own before (its page says how).
 */
export function invitationsRouter(service: PartnersService, store: Store, secret: LinkKeys, printer: PdfPrinter): Router {
  const router = Router();

  /** The onboarding behind the link, for its own contact only; `closedCheck` refuses it (410) when it, or its partnership, has closed. */
  async function load(token: string, closedCheck = true): Promise<{ claims: TaskTokenClaims; state: OnboardingState }> {
    const claims = verifyTaskTokenOfKind(secret, token, 'onboarding');
    const state = await service.onboarding(claims.taskId);
    if (state.request.contact.email !== claims.email) throw new HttpError(403, said('refusals:invitation.notYours'));
    if (closedCheck) await refuseIfOnboardingClosed(claims, state);
    return { claims, state };
  }

  /** An onboarding still under way (or ended because its partnership closed) is closed once its partnership ended. */
  async function refuseIfOnboardingClosed(claims: TaskTokenClaims, state: OnboardingState): Promise<void> {
    if (isFinal(state) && !state.closedWithPartnership) return;
    await refuseIfClosed(service, { workflowId: claims.taskId, partnershipId: state.request.partnershipId, what: 'invitation' });
  }

  router.get('/:token', async (req, res) => {
    const { state } = await load(req.params.token);
    res.set('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.json(invitationView(state, Date.now()));
      return;
    }
    const language = await pageLanguage(req, res, state.request.contact, () => service.partnershipLanguage(state.request.partnershipId));
    res.type('html').send(renderInvitationPage(state, req.params.token, Date.now(), language));
  });

  router.get('/:token/agreement', async (req, res) => {
    const { state } = await load(req.params.token);
    const doc = state.document && (await store.getDocument(state.document.id));
    if (!doc) throw new HttpError(404, said('refusals:invitation.agreementNotReady'));
    await sendDocument(req, res, doc, printer, 'html');
  });

  router.post('/:token', async (req, res) => {
    // The link and the form are checked before the onboarding is read.
    verifyTaskTokenOfKind(secret, req.params.token, 'onboarding');
    const answer = bodyOf(req, PartnerAnswerSchema, { forms: true });
    const { claims, state } = await load(req.params.token, false);
    // "Already answered" comes before "closed": the loser of a double submission hears that its step is done.
    const answered = answeredAt(state, answer.step);
    if (answered) throw new RuleError('Conflict', said('refusals:invitation.stepAnswered', { at: at(answered) }), { step: answer.step, now: state.step });
    await refuseIfOnboardingClosed(claims, state);
    const step = await service.answerOnboarding(claims.taskId, claims.email, answer).catch((err: unknown) => {
      if (isClosedWorkflow(err)) {
        throw new HttpError(409, said('refusals:invitation.alreadyEnded'));
      }
      throw err;
    });
    if (wantsJson(req)) {
      res.json({ step });
      return;
    }
    // Post/redirect/get: the page then shows the next step.
    res.redirect(303, `/invitations/${req.params.token}`);
  });

  return router;
}

/** The kind of human task each open step of an onboarding is (domain/human-tasks/kinds/contact-forms.ts). */
const KIND_OF_STEP = { respond: TASK_KINDS.invitation.id, 'due-diligence': TASK_KINDS.dueDiligence.id, signature: TASK_KINDS.signature.id } as const;

/** GET /invitations/:token — the contact's page shows the step the onboarding is at, in `language`; rendering changes nothing. */
export function renderInvitationPage(state: OnboardingState, token: string, now: number, language: Language): string {
  const open = ['respond', 'due-diligence', 'signature'].includes(state.step);
  return renderPage('invitation', language, {
    title: translator(language)('pages:invitation.title', { title: state.request.partnershipTitle }),
    state,
    token,
    principles: PRINCIPLES,
    expired: open && now > Date.parse(state.stepDeadlineAt),
    kindWords: open ? wordsOfKind(KIND_OF_STEP[state.step as keyof typeof KIND_OF_STEP], language) : undefined,
  });
}
