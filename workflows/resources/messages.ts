import { defineSignal } from '@temporalio/workflow';
import type { FundingChannelResult } from '../../domain/resources/funding';

/**
 * What a financial channel's workflow tells its partnership. The workflows,
 * the activities and the API import it, never the channel's implementation.
 * A stable name: running partnerships receive it by name.
 */

/** Sent to the partnership (by id, reaching its current run) when a channel is decided. */
export const channelStatusSignal = defineSignal<[{ activityId: string; version: number } & FundingChannelResult]>('channelStatus');
