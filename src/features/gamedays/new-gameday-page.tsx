import { useNavigate } from 'react-router';
import { useCurrentUser } from '@/lib/use-current-user';
import { useGamedayDrafts } from './gameday-drafts';
import { blankPlan } from './plan-draft';
import { PlanForm } from './plan-form';
import { useCreateGameday } from './use-gameday-actions';

/** A new game day; the draft is kept (this tab) until it is created. */
export function NewGamedayPage() {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const stored = useGamedayDrafts((s) => s.plan);
  const setPlan = useGamedayDrafts((s) => s.setPlan);
  const create = useCreateGameday();
  const plan = stored ?? blankPlan(Date.now(), me?.name ?? null);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-black">Plan a game day</h1>
      <PlanForm
        plan={plan}
        onChange={setPlan}
        submitLabel="Create game day"
        pending={create.isPending}
        error={create.error}
        onSubmit={(spec) =>
          create.mutate(spec, {
            onSuccess: (gameday) => {
              setPlan(null);
              void navigate(`/gamedays/${gameday.id}`);
            },
          })
        }
      />
    </div>
  );
}
