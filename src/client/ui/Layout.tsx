import { Link, Outlet } from 'react-router-dom';

export function Layout() {
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          Gatekeeper Tickets
        </Link>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
