/** Per-request options a capability's method may accept. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Give up (BackendError `unavailable`) when no answer came within this long (ms). */
  timeoutMs?: number;
}

/** A file the backend produced for the person to save (a report, an export). */
export interface DownloadedFile {
  fileName: string;
  text: string;
}
