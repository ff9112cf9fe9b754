import { pickLanguage } from '../../domain/language';
import type { Person } from '../../domain/schemas';
import type { Text } from '../../domain/said';
import { textTranslator } from '../../infra/i18n';
import { say, saySubject } from '../../infra/i18n/said';
import { createTaskToken, taskLink } from '../../infra/task-token';
import type { ActivityContext } from '../activity-context';
import { composeEmail } from '../email-content';

/*
 * Notices a workflow sends to people (a gate decided, a partner joined) and
 * partner emails with their personal link (an invitation, a review form),
 * each in its recipient's language and delivered once.
 */

export interface NotificationInput {
  deliveryKey: string;
  to: Person;
  /**
   * What the email is about, after the partnership's title (`title`): a code,
   * e.g. `emails:notice.partner.active`. Runs from before codes send the
   * whole subject as English text, title included, and no `title`.
   */
  subject: Text;
  /** The partnership's title, as written, which the subject opens with. */
  title?: string;
  /** The body's paragraphs: codes (English text from runs before codes). */
  lines: Text[];
  /**
   * The partnership's working language as its workflow holds it (null: none
   * named), for a recipient who has none of their own. Absent from runs
   * before it was sent: the partnership is then asked (a query).
   */
  partnershipLanguage?: string | null;
}

export interface PartnerEmailInput {
  deliveryKey: string;
  /** The workflow the link acts on (an onboarding, or a review with linkKind "review"). */
  onboardingId: string;
  linkKind?: 'onboarding' | 'review';
  to: Person;
  /** As `NotificationInput.subject`: what the email is about, after `title`. */
  subject: Text;
  /** The partnership's title, as written, which the subject opens with. */
  title?: string;
  lines: Text[];
  /** With a link: the contact's personal onboarding page, valid until this time. */
  linkExpiresAt?: string;
  /** Ignored: the link's label comes from the catalogue by `linkKind`, in the recipient's language (runs still send it). */
  linkLabel?: string;
}

/** Notices and partner emails (activity names are stable: running workflows schedule them by name). */
export function notificationActivities(ctx: ActivityContext) {
  const { deps, languageFor, deliverOnce } = ctx;
  const activities = {
    /** A notice the workflow wrote (codes; English from older runs: infra/i18n/legacy-workflow-text.ts), sent in the recipient's language. */
    async sendNotification(input: NotificationInput): Promise<{ messageId: string; sent: boolean }> {
      const language =
        input.partnershipLanguage !== undefined
          ? pickLanguage(input.to.language, input.partnershipLanguage)
          : await languageFor(input.to, input.deliveryKey);
      const subject = saySubject(language, input.subject, input.title);
      const body = composeEmail({
        language,
        subject,
        greeting: textTranslator(language)('emails:greeting', { name: input.to.name }),
        lines: input.lines.map((l) => say(language, l, { plainText: true })),
      });
      return deliverOnce(input.deliveryKey, input.to, subject, body);
    },

    /**
     * Several partner emails in one activity: a review asking 300 focal points
     * at once scheduled 300 activities, and the events they buffered while one
     * workflow task ran made the server refuse that task. A retry resends only
     * what the sent-log does not hold, so each email still goes out once.
     *
     * @returns how many were sent now (the rest had been sent by an earlier attempt)
     */
    async sendPartnerEmails(inputs: PartnerEmailInput[]): Promise<{ sent: number; alreadySent: number }> {
      let sent = 0;
      for (const input of inputs) {
        if ((await activities.sendPartnerEmail(input)).sent) sent += 1;
      }
      return { sent, alreadySent: inputs.length - sent };
    },

    /** An email to a partner's contact or focal point, with their personal link, in their language. */
    async sendPartnerEmail(input: PartnerEmailInput): Promise<{ messageId: string; sent: boolean }> {
      const language = await languageFor(input.to, input.onboardingId);
      const t = textTranslator(language);
      const kind = input.linkKind ?? 'onboarding';
      const link = input.linkExpiresAt
        ? {
            href: taskLink(
              deps.publicBaseUrl,
              createTaskToken(deps.taskLinkSecret, { taskId: input.onboardingId, email: input.to.email, exp: Date.parse(input.linkExpiresAt), kind }),
              kind,
            ),
            label: kind === 'review' ? t('emails:openReview') : t('emails:openInvitation'),
          }
        : undefined;
      const subject = saySubject(language, input.subject, input.title);
      const body = composeEmail({
        language,
        subject,
        greeting: t('emails:greeting', { name: input.to.name }),
        lines: input.lines.map((l) => say(language, l, { plainText: true })),
        ...(link ? { link, footer: t('emails:footerForm') } : {}),
      });
      return deliverOnce(input.deliveryKey, input.to, subject, body);
    },
  };
  return activities;
}
