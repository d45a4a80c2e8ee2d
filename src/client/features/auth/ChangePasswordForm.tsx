import type { FormEvent } from 'react';
import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormErrors } from '../../ui/useFormErrors.ts';

/** The signed-in user's own password; the server signs out their other sessions. */
export function ChangePasswordForm() {
  const change = trpc.auth.changePassword.useMutation();
  const { errorsFor, check } = useFormErrors(change.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '');
    const ok = check({ repeatPassword: value('newPassword') !== value('repeatPassword') && 'The two new passwords differ' });
    if (!ok) return;
    change.mutate({ currentPassword: value('currentPassword'), newPassword: value('newPassword') }, { onSuccess: () => form.reset() });
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-label="Change your password">
      <h2>Your password</h2>
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" errors={errorsFor('currentPassword')} />
      <Field label="New password" name="newPassword" type="password" autoComplete="new-password" hint="At least 10 characters, not a common or easily guessed password." errors={errorsFor('newPassword')} />
      <Field label="New password again" name="repeatPassword" type="password" autoComplete="new-password" errors={errorsFor('repeatPassword')} />
      <ErrorBox error={change.error} />
      {change.isSuccess && (
        <p role="status" className="muted">
          Password changed. Your other sessions were signed out.
        </p>
      )}
      <button type="submit" className="primary" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}
