import { useParams } from 'react-router';
import { EditGamedayPage } from '@/features/gamedays/edit-gameday-page';

function GamedayEditRoute() {
  const { id = '' } = useParams();
  return <EditGamedayPage gamedayId={id} />;
}

export { GamedayEditRoute as Component };
