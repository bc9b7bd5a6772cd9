import type { Incident } from '@/domain/incidents';
import type { StatusResponse, StatusSettings, UpdateStatusSettings } from '@/domain/status';
import type { RequestOptions } from './request';

/** The public status page, its settings, and the incidents it shows. */
export interface StatusCapability {
  /** The public status page's data; `shareToken` when the page was opened from a share link. */
  status(shareToken?: string | null, options?: RequestOptions): Promise<StatusResponse>;
  statusSettings(): Promise<StatusSettings>;
  updateStatusSettings(settings: UpdateStatusSettings): Promise<StatusSettings>;
  listIncidents(): Promise<Incident[]>;
  addIncidentUpdate(id: string, text: string): Promise<Incident>;
  resolveIncident(id: string, version: number, text?: string): Promise<Incident>;
}
