/** The worker bundles this file: every workflow type the task queue serves. */
export { partnershipWorkflow } from './partnership';
export { approvalWorkflow } from './approval';
export { partnerOnboardingWorkflow } from './partner-onboarding';
export { fundingChannelWorkflow } from './funding-channel';
export { reflectiveReviewWorkflow } from './reflective-review';
export { approverDigestWorkflow } from './approver-digest';
