import type { Gameday, GamedaySpecInput, WriteFindings } from '@/domain/gamedays';
import type { TimelineEntry } from '@/domain/gamedays-timeline';
import type { DownloadedFile } from './request';

export interface GamedaysCapability {
  listGamedays(): Promise<Gameday[]>;
  getGameday(id: string): Promise<Gameday>;
  createGameday(spec: GamedaySpecInput): Promise<Gameday>;
  updateGameday(id: string, version: number, spec: GamedaySpecInput): Promise<Gameday>;
  deleteGameday(id: string, version: number): Promise<void>;
  /** Marks one runbook step done (or open again); the server records who and when. */
  tickRunbookStep(id: string, stepId: string, done: boolean): Promise<Gameday>;
  addGamedayNote(id: string, text: string): Promise<TimelineEntry>;
  gamedayTimeline(id: string): Promise<TimelineEntry[]>;
  writeFindings(id: string, findings: WriteFindings): Promise<Gameday>;
  gamedayReport(id: string): Promise<DownloadedFile>;
}
