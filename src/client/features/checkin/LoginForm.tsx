import { useState, type FormEvent } from 'react';
import { errorMessage, scannerClient } from './api.ts';

/** Staff sign-in where a page needs a session (the scanner without a device token, the devices panel). */
export function LoginForm({ onSignedIn, title = 'Staff sign-in' }: { onSignedIn: () => void; title?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await scannerClient.auth.login.mutate({ email, password });
      onSignedIn();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card login-form" onSubmit={submit}>
      <h2>{title}</h2>
      <label>
        Email
        <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Password
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
