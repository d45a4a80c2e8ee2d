import { Link, NavLink, Outlet } from 'react-router-dom';
import { trpc } from '../../trpc.ts';
import { QueryView } from '../../ui/Status.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { LoginForm } from './LoginForm.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

/**
 * The admin area's door: a sign-in form for visitors, a pointer to the scanner (and their own password) for
 * staff, the pages with their navigation for admins and (read-only) viewers.
 */
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
            {user.role === 'admin' || user.role === 'viewer' ? (
              <>
                <nav className="admin-nav" aria-label="Admin">
                  <NavLink to="/admin" end>
                    Events
                  </NavLink>
                  {user.role === 'admin' && <NavLink to="/admin/users">Users</NavLink>}
                </nav>
                <Outlet />
              </>
            ) : (
              <>
                <div className="notice" role="status">
                  <p>This area is for organizers. Staff accounts use the scanner.</p>
                  <Link to="/scanner">Open the scanner</Link>
                </div>
                <ChangePasswordForm />
              </>
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

/** Whether the signed-in account may change things (admins) or only look (viewers); from the cached auth.me. */
export function useCanEdit(): boolean {
  const me = trpc.auth.me.useQuery();
  return me.data?.user?.role === 'admin';
}
