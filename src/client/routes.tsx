import { Route, Routes } from 'react-router-dom';
import { Layout } from './ui/Layout.tsx';
import { NotFound } from './ui/Status.tsx';
import { EventListPage } from './features/catalog/EventListPage.tsx';
import { EventPage } from './features/catalog/EventPage.tsx';
import { OrderPage } from './features/orders/OrderPage.tsx';
import { PayPage } from './features/orders/PayPage.tsx';
import { AdminGate } from './features/auth/AdminGate.tsx';
import { AdminEventsPage } from './features/admin/AdminEventsPage.tsx';
import { AdminEventPage } from './features/admin/AdminEventPage.tsx';
import { DevicesPanel } from './features/checkin/DevicesPanel.tsx';
import { ScannerPage } from './features/checkin/ScannerPage.tsx';
import { AdminUsersPage } from './features/admin/AdminUsersPage.tsx';
import { EventOrdersPage } from './features/admin/orders/EventOrdersPage.tsx';
import { VouchersPage } from './features/admin/vouchers/VouchersPage.tsx';
import { WaitlistAdminPage } from './features/admin/vouchers/WaitlistAdminPage.tsx';
import { OfferPage } from './features/waitlist/OfferPage.tsx';
import { AttendeesPage } from './features/admin/orders/AttendeesPage.tsx';
import { LivePage } from './features/admin/LivePage.tsx';
import { AdminOrderPage } from './features/admin/orders/AdminOrderPage.tsx';

/** Every page of the SPA. Feature folders own their pages; this table only places them. */
export function AppRoutes() {
  return (
    <Routes>
      {/* The scanner is full-screen, without the site's header. */}
      <Route path="scanner" element={<ScannerPage />} />
      <Route element={<Layout />}>
        <Route index element={<EventListPage />} />
        <Route path="events/:eventId" element={<EventPage />} />
        <Route path="orders/:orderId" element={<OrderPage />} />
        <Route path="orders/:orderId/pay" element={<PayPage />} />
        <Route path="waitlist/:entryId" element={<OfferPage />} />
        <Route path="admin" element={<AdminGate />}>
          <Route index element={<AdminEventsPage />} />
          <Route path="events/:eventId" element={<AdminEventPage />} />
          <Route path="users" element={<AdminUsersPage />} />
          <Route path="events/:eventId/orders" element={<EventOrdersPage />} />
          <Route path="events/:eventId/vouchers" element={<VouchersPage />} />
          <Route path="events/:eventId/waitlist" element={<WaitlistAdminPage />} />
          <Route path="events/:eventId/orders/:orderId" element={<AdminOrderPage />} />
          <Route path="events/:eventId/attendees" element={<AttendeesPage />} />
          <Route path="events/:eventId/live" element={<LivePage />} />
        </Route>
        {/* Signs in on its own: an organizer often opens it on the phone that becomes the scanner. */}
        <Route path="admin/events/:eventId/devices" element={<DevicesPanel />} />
        <Route path="*" element={<NotFound message="There is no page at this address." />} />
      </Route>
    </Routes>
  );
}
