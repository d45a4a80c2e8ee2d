import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';

/** "Email my tickets again": the server limits how often per order (RATE_LIMITED explains when to retry). */
export function ResendTickets({ orderId, token, email }: { orderId: string; token: string; email: string }) {
  const resend = trpc.orders.resendTickets.useMutation();
  return (
    <div style={{ margin: "1rem 0" }}>
      <ErrorBox error={resend.error} />
      {resend.isSuccess && (
        <p className="notice" role="status">
          Your tickets are on their way to {email} again. Please also check your spam folder.
        </p>
      )}
      <button type="button" disabled={resend.isPending} onClick={() => resend.mutate({ orderId, token })}>
        {resend.isPending ? 'Sending…' : 'Email my tickets again'}
      </button>
    </div>
  );
}
