import { Route, Routes } from 'react-router-dom';
import { Layout } from './ui/Layout.tsx';
import { EventListPage } from './features/catalog/EventListPage.tsx';
import { EventOrdersPage } from './features/admin/orders/EventOrdersPage.tsx';

/** Every page of the SPA. Feature folders own their pages; this table only places them. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<EventListPage />} />
        <Route path="admin/events/:eventId/orders" element={<EventOrdersPage />} />
        <Route path="*" element={<p>Page not found.</p>} />
      </Route>
    </Routes>
  );
}
