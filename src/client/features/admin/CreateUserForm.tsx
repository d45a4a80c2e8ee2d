import type { FormEvent } from 'react';
import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { Field } from '../../ui/Field.tsx';
import { formText, useFormErrors } from '../../ui/useFormErrors.ts';

/** A new admin or staff account; the server's EMAIL_TAKEN and password rules show at their fields. */
export function CreateUserForm() {
  const utils = trpc.useUtils();
  const create = trpc.admin.createUser.useMutation({ onSuccess: () => utils.admin.listUsers.invalidate() });
  const { errorsFor } = useFormErrors(create.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const text = formText(form);
    const role = text('role') === 'admin' ? 'admin' : text('role') === 'viewer' ? 'viewer' : 'staff';
    // Passwords are sent as typed: spaces at either end are part of them.
    const password = String(new FormData(form).get('password') ?? '');
    create.mutate({ email: text('email'), password, role }, { onSuccess: () => form.reset() });
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-label="Create user">
      <h2>New user</h2>
      <Field label="Email" name="email" type="email" autoComplete="off" required errors={errorsFor('email')} />
      <div className="field-row">
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters, not a common or easily guessed password. Tell the person; they can change it after signing in."
          errors={errorsFor('password')}
        />
        <Field
          label="Role"
          errors={errorsFor('role')}
          hint="Staff scan tickets at the gate; viewers (box office, sponsors) see orders, attendees, exports and the live page but change nothing; admins manage everything."
          render={(a11y) => (
            <select name="role" defaultValue="staff" {...a11y}>
              <option value="staff">staff</option>
              <option value="viewer">viewer</option>
              <option value="admin">admin</option>
            </select>
          )}
        />
      </div>
      <ErrorBox error={create.error} />
      {create.isSuccess && (
        <p role="status" className="muted">
          Account created.
        </p>
      )}
      <button type="submit" className="primary" disabled={create.isPending}>
        Create user
      </button>
    </form>
  );
}
