import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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

  it('shows a saved experiment’s Chaos Mesh file asking this Faultline whether to abort', async () => {
    render(<ExportMenu spec={cpuSpec()} experimentId="exp-7" />);
    await userEvent.click(screen.getByRole('button', { name: 'Show Chaos Mesh YAML' }));
    const text = (await screen.findByLabelText(/Chaos Mesh YAML of/)).textContent ?? '';
    expect(text).toContain('templateType: StatusCheck');
    expect(text).toContain(`url: ${window.location.origin}/api/v1/experiments/exp-7/steady-state`);
    expect(text).toContain('abortWithStatusCheck: true');
  });

  it('says a design not yet saved has nothing that aborts early in Chaos Mesh', async () => {
    render(<ExportMenu spec={cpuSpec()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Show Chaos Mesh YAML' }));
    const text = (await screen.findByLabelText(/Chaos Mesh YAML of/)).textContent ?? '';
    expect(text).not.toContain('templateType: StatusCheck');
    expect(text).toMatch(/nothing below stops the chaos early/);
  });
});
