import { create } from 'zustand';
import type { ConnectionState } from '@/backend/backend';

interface ConnectionStatus {
  state: ConnectionState;
  failures: number;
  /** Why the last attempt failed, for people ("Cannot reach the server…"). */
  problem: string | null;
  /** When any event last arrived (epoch ms). */
  lastEventAt: number | null;
  /** True once the stream has been live at least once since sign-in. */
  everLive: boolean;
}

const initial: ConnectionStatus = {
  state: 'closed',
  failures: 0,
  problem: null,
  lastEventAt: null,
  everLive: false,
};

/** The live stream's health, for the header and the stale banner. */
export const useConnection = create<ConnectionStatus>()(() => initial);

export function resetConnection(): void {
  useConnection.setState(initial, true);
}

/** The data on screen is older than what the server has: the stream is not live. */
export function isStale(state: ConnectionState): boolean {
  return state === 'reconnecting' || state === 'offline' || state === 'closed';
}
