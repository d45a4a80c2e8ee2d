import { trpc } from '../../trpc.ts';
import { QueryView } from '../../ui/Status.tsx';
import { ChangePasswordForm } from '../auth/ChangePasswordForm.tsx';
import { CreateUserForm } from './CreateUserForm.tsx';
import { UserTable } from './UserTable.tsx';

/** Accounts: who may sign in, new staff and admins, and the signed-in admin's own password. */
export function AdminUsersPage() {
  const users = trpc.admin.listUsers.useQuery();
  const me = trpc.auth.me.useQuery();
  return (
    <section>
      <h1>Users</h1>
      <p className="muted">Disabling an account signs it out everywhere at once.</p>
      <QueryView query={users} loading="Loading users…">
        {(list) => <UserTable users={list} selfId={me.data?.user?.id ?? ''} />}
      </QueryView>
      <CreateUserForm />
      <ChangePasswordForm />
    </section>
  );
}
