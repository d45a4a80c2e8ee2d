import { useState, type FormEvent, type ReactNode } from 'react';

/** A search field that applies on submit (Enter), so typing does not send a query per key. */
export function SearchBox({ label, placeholder, onSearch, children }: { label: string; placeholder: string; onSearch(q: string): void; children?: ReactNode }) {
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form role="search" aria-label={label} className="search-row" onSubmit={submit}>
      <input type="search" aria-label={label} placeholder={placeholder} value={text} onChange={(e) => setText(e.target.value)} />
      {children}
      <button type="submit">Search</button>
    </form>
  );
}
