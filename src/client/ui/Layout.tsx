import { Link, NavLink, Outlet } from 'react-router-dom';
import { trpc } from '../trpc.ts';

/** On every page while payments go to the TEST provider: nobody should think they paid, or sold, for real. */
function TestModeBanner() {
  const site = trpc.health.site.useQuery(undefined, { staleTime: Infinity });
  if (!site.data?.testPayments) return null;
  return (
    <p className="test-mode" role="status">
      TEST MODE — payments are simulated and no money is collected
    </p>
  );
}

export function Layout() {
  return (
    <div className="app">
      <TestModeBanner />
      <header className="topbar">
        <Link to="/" className="brand">
          Gatekeeper Tickets
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Events
          </NavLink>
          <NavLink to="/admin">Admin</NavLink>
        </nav>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
