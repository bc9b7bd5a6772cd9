import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { blastRadiusSchema } from '@/domain';
import { ExportMenu } from '@/features/experiments/export/export-menu';
import { cpuSpec } from '../domain/fixtures';

const flagCohort = cpuSpec({
  blastRadius: blastRadiusSchema.parse({
    scope: 'containers',
    selector: {},
    mode: 'all',
    source: { kind: 'flag', flagKey: 'new-checkout' },
  }),
});

describe('the export menu', () => {
  it('says next to the Chaos Mesh download that a flag cohort cannot be kept', () => {
    render(<ExportMenu spec={flagCohort} />);
    const download = screen.getByRole('button', { name: 'Download Chaos Mesh YAML' });
    const item = download.closest('li');
    expect(item?.querySelector('[role="note"]')?.textContent).toMatch(
      /Blast radius not kept: Chaos Mesh cannot select the cohort of flag "new-checkout"/,
    );
    // The Faultline file keeps everything: no note there.
    const faultline = screen.getByRole('button', { name: 'Download Faultline JSON' }).closest('li');
    expect(faultline?.querySelector('[role="note"]')).toBeNull();
  });

  it('says nothing once the pods the experiment hit are known', () => {
    render(<ExportMenu spec={flagCohort} targets={['checkout-stg-h1-c1']} />);
    expect(screen.queryByRole('note')).toBeNull();
  });
});
