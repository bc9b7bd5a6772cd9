import { z } from 'zod';

// zod compiles object parsers with `new Function` unless told not to, and probes for it first:
// under the Content-Security-Policy (no 'unsafe-eval') the probe is refused and reported as a
// violation. Imported first by each browser entry, before any schema is built.
z.config({ jitless: true });
