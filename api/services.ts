/**
 * The API's services, one per capability (api/<capability>/service.ts), made
 * together so that they share one client and one set of options. Routes,
 * console pages and link pages take the service of their capability; tools,
 * benchmarks and tests take the whole set.
 */
import type { Client } from '@temporalio/client';
import { HumanTaskService } from './human-tasks/service';
import { PartnersService } from './partners/service';
import { PartnershipService, type PartnershipServiceOptions } from './partnership/service';
import { ResourcesService } from './resources/service';
import { ReviewsService } from './reviews/service';

export interface Services {
  /** Start, list, read, checklist, sections, the phase gates' requests. */
  partnership: PartnershipService;
  /** Stakeholders, invitations and onboardings, the organisation's role. */
  partners: PartnersService;
  /** Objectives, roadmap, progress, resource strategy, fiduciary rule, funding channels. */
  resources: ResourcesService;
  /** Reflective reviews. */
  reviews: ReviewsService;
  /** Approval tasks and phase gates: read, decide, hand over, find a person's. */
  tasks: HumanTaskService;
}

/** Every capability's service on `client`, starting partnerships on `taskQueue`. */
export function createServices(client: Client, taskQueue: string, options: PartnershipServiceOptions = {}): Services {
  const partnership = new PartnershipService(client, taskQueue, options);
  return {
    partnership,
    partners: new PartnersService(client, options.logger),
    resources: new ResourcesService(client, options.logger),
    reviews: new ReviewsService(client, options.logger),
    tasks: new HumanTaskService(client, partnership, options.logger),
  };
}
