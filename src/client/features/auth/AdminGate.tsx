import { Link, Outlet } from 'react-router-dom';
import { trpc } from '../../trpc.ts';
import { QueryView } from '../../ui/Status.tsx';
import { LoginForm } from './LoginForm.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

/** The admin area's door: a sign-in form for visitors, a pointer to the scanner for staff, the pages for admins. */
export function AdminGate() {
  const me = trpc.auth.me.useQuery();
  usePageTitle('Admin');
  return (
    <QueryView query={me} loading="Checking sign-in…">
      {({ user }) =>
        !user ? (
          <LoginForm />
        ) : (
          <>
            <div className="session-bar">
              <span>
                Signed in as <strong>{user.email}</strong> ({user.role})
              </span>
              <SignOutButton />
            </div>
            {user.role === 'admin' ? (
              <Outlet />
            ) : (
              <div className="notice" role="status">
                <p>This area is for organizers. Staff accounts use the scanner.</p>
                <Link to="/scanner">Open the scanner</Link>
              </div>
            )}
          </>
        )
      }
    </QueryView>
  );
}

function SignOutButton() {
  const utils = trpc.useUtils();
  // Everything cached belonged to the session that just ended.
  const logout = trpc.auth.logout.useMutation({ onSuccess: () => utils.invalidate() });
  return (
    <button type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
      Sign out
    </button>
  );
}
