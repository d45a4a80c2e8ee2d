import type { FormEvent } from 'react';
import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { Field } from '../../ui/Field.tsx';
import { formText, useFormErrors } from '../../ui/useFormErrors.ts';

export function LoginForm() {
  const utils = trpc.useUtils();
  const login = trpc.auth.login.useMutation({ onSuccess: (data) => utils.auth.me.setData(undefined, data) });
  const { errorsFor } = useFormErrors(login.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = formText(e.currentTarget);
    login.mutate({ email: text('email'), password: String(new FormData(e.currentTarget).get('password') ?? '') });
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-label="Sign in">
      <h1>Sign in</h1>
      <p className="muted">For organizers. The first admin account is set by ADMIN_EMAIL / ADMIN_PASSWORD or printed at first start.</p>
      <Field label="Email" name="email" type="email" autoComplete="username" required errors={errorsFor('email')} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errorsFor('password')} />
      <ErrorBox error={login.error} />
      <button type="submit" className="primary" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
