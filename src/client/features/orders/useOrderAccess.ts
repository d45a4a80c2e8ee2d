import { useLocation, useParams } from 'react-router-dom';

/** The order id from the path and its access token from "#token=…" (null when the link lacks it). */
export function useOrderAccess(): { orderId: string; token: string | null } {
  const { orderId = '' } = useParams();
  const { hash } = useLocation();
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return { orderId, token: token || null };
}

/** Shown when a link has no token; a wrong token gets the server's NOT_FOUND, which reads the same. */
export const INCOMPLETE_LINK = 'No order with this link. Check that you copied the whole link.';
