import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { gamedayQuery } from '@/lib/queries/gamedays';
import { ErrorMessage } from '@/components/error-message';
import type { Gameday } from '@/domain/gamedays';
import { planOf } from './plan-draft';
import { PlanForm } from './plan-form';
import { useUpdateGameday } from './use-gameday-actions';

function EditForm({ gameday }: { gameday: Gameday }) {
  const navigate = useNavigate();
  // The version the edit started from: a stale save is refused (409), never silently applied.
  const [base] = useState(gameday.version);
  const [plan, setPlan] = useState(() => planOf(gameday));
  const update = useUpdateGameday(gameday.id);
  return (
    <PlanForm
      plan={plan}
      onChange={setPlan}
      submitLabel="Save plan"
      pending={update.isPending}
      error={update.error}
      onSubmit={(spec) =>
        update.mutate(
          { version: base, spec },
          { onSuccess: () => void navigate(`/gamedays/${gameday.id}`) },
        )
      }
    />
  );
}

export function EditGamedayPage({ gamedayId }: { gamedayId: string }) {
  const backend = useBackend();
  const gameday = useQuery({
    ...gamedayQuery(backend, gamedayId),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (gameday.error)
    return <ErrorMessage error={gameday.error} retry={() => void gameday.refetch()} />;
  if (!gameday.data) return <p className="text-muted">Loading the game day…</p>;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-black">Edit “{gameday.data.title}”</h1>
      <EditForm gameday={gameday.data} />
    </div>
  );
}
