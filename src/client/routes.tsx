import { Route, Routes } from 'react-router-dom';
import { Layout } from './ui/Layout.tsx';
import { EventListPage } from './features/catalog/EventListPage.tsx';
import { DevicesPanel } from './features/checkin/DevicesPanel.tsx';
import { ScannerPage } from './features/checkin/ScannerPage.tsx';

/** Every page of the SPA. Feature folders own their pages; this table only places them. */
export function AppRoutes() {
  return (
    <Routes>
      {/* The scanner is full-screen, without the site's header. */}
      <Route path="scanner" element={<ScannerPage />} />
      <Route element={<Layout />}>
        <Route index element={<EventListPage />} />
        <Route path="admin/events/:eventId/devices" element={<DevicesPanel />} />
        <Route path="*" element={<p>Page not found.</p>} />
      </Route>
    </Routes>
  );
}
