import { trpc, type RouterOutputs } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { formatLocal } from '../../ui/format.ts';

type User = RouterOutputs['admin']['listUsers'][number];

/** Every account with a Disable / Enable button; the signed-in admin's own row has none (the server refuses it too). */
export function UserTable({ users, selfId }: { users: User[]; selfId: string }) {
  const utils = trpc.useUtils();
  const onSuccess = () => utils.admin.listUsers.invalidate();
  const disable = trpc.admin.disableUser.useMutation({ onSuccess });
  const enable = trpc.admin.enableUser.useMutation({ onSuccess });
  const busy = disable.isPending || enable.isPending;
  return (
    <>
      <div className="table-scroll">
        <table className="items">
          <caption>Users</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">Access</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.email}</th>
                <td>{u.role}</td>
                <td>{formatLocal(u.createdAt)}</td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td>
                  {u.id === selfId ? (
                    <span className="muted">you</span>
                  ) : u.disabled ? (
                    <button type="button" disabled={busy} onClick={() => enable.mutate({ userId: u.id })}>
                      Enable
                    </button>
                  ) : (
                    <button type="button" disabled={busy} onClick={() => disable.mutate({ userId: u.id })}>
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorBox error={disable.error ?? enable.error} />
    </>
  );
}
