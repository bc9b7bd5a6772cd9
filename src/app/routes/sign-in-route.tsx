import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { SignIn } from '@/features/session/sign-in';
import { useToken } from '@/lib/use-token';

/** Only paths inside the app are followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function SignInRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = useToken();
  const next = safeNext(params.get('next'));
  if (token !== null) return <Navigate to={next} replace />;
  return <SignIn onSignedIn={() => void navigate(next, { replace: true })} />;
}

export { SignInRoute as Component };
