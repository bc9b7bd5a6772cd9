/** One server-sent event as the wire carries it (https://html.spec.whatwg.org/#event-stream-interpretation). */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Incremental parser of a text/event-stream: feed it chunks as they arrive, it calls
 * `onMessage` for every complete event. Comments (": ping") are ignored; `retry:` is passed on.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | null = null;
  private sawField = false;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onRetry: (ms: number) => void = () => {},
  ) {}

  feed(chunk: string): void {
    this.buffer += chunk;
    let newline = this.nextLineEnd();
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline);
      const skip = this.buffer[newline] === '\r' && this.buffer[newline + 1] === '\n' ? 2 : 1;
      this.buffer = this.buffer.slice(newline + skip);
      this.line(line);
      newline = this.nextLineEnd();
    }
  }

  private nextLineEnd(): number {
    const lf = this.buffer.indexOf('\n');
    const cr = this.buffer.indexOf('\r');
    if (cr >= 0 && cr === this.buffer.length - 1) return lf; // a CR at the end may be half of CRLF
    if (lf < 0) return cr;
    if (cr < 0) return lf;
    return Math.min(lf, cr);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.sawField = true;
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
  }

  private dispatch(): void {
    if (this.sawField && this.data.length > 0) {
      this.onMessage({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
    }
    this.data = [];
    this.event = '';
    this.id = null;
    this.sawField = false;
  }
}
