/** The worker bundles this file: every workflow type the task queue serves. */
export { partnershipWorkflow } from './partnership/partnership';
export { approvalWorkflow } from './human-tasks/approval';
export { partnerOnboardingWorkflow } from './partners/partner-onboarding';
export { fundingChannelWorkflow } from './resources/funding-channel';
export { reflectiveReviewWorkflow } from './reviews/reflective-review';
export { approverDigestWorkflow } from './human-tasks/approver-digest';
