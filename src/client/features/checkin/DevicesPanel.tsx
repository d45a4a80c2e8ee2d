import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import QRCode from 'qrcode';
import { apiError, trpc } from '../../trpc.ts';
import { ConflictsList, GateSettingsForm } from './GateAdmin.tsx';
import { LoginForm } from './LoginForm.tsx';
import './scanner.css';

/** The link a phone opens once to become this scanner; the token lives only in its fragment. */
const enrolmentLink = (token: string) => `${window.location.origin}/scanner#device=${token}`;

function Enrolment({ name, token }: { name: string; token: string }) {
  const link = enrolmentLink(token);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 440 }).then(setQr, () => setQr(null));
  }, [link]);
  return (
    <div className="card enrol" data-testid="enrolment">
      <h2>Enrol “{name}”</h2>
      <p>Scan this with the phone’s camera, or open the link on it. It is shown only now; anyone with it can scan.</p>
      {qr && <img src={qr} alt="Enrolment QR code" />}
      <p>
        <code data-testid="enrolment-link">{link}</code>
      </p>
    </div>
  );
}

/** /admin/events/:eventId/devices — create scanner devices for an event, enrol phones, revoke them. */
export function DevicesPanel() {
  const { eventId = '' } = useParams();
  const utils = trpc.useUtils();
  const devices = trpc.admin.listDevices.useQuery({ eventId }, { retry: false });
  const create = trpc.admin.createDevice.useMutation({ onSuccess: () => utils.admin.listDevices.invalidate({ eventId }) });
  const revoke = trpc.admin.revokeDevice.useMutation({ onSuccess: () => utils.admin.listDevices.invalidate({ eventId }) });
  const [name, setName] = useState('');
  const [enrolled, setEnrolled] = useState<{ name: string; token: string } | null>(null);

  const listError = apiError(devices.error);
  if (listError?.data.httpStatus === 401 || listError?.data.httpStatus === 403) {
    return <LoginForm title="Sign in as an admin to manage scanners" onSignedIn={() => void devices.refetch()} />;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { token } = await create.mutateAsync({ eventId, name });
    setEnrolled({ name, token });
    setName('');
  }

  const createError = apiError(create.error);
  return (
    <section>
      <h1>Scanner devices</h1>
      <p>
        Each device scans only for this event. Staff can also sign in at <Link to="/scanner">/scanner</Link>.
      </p>
      <form className="card" onSubmit={(e) => void submit(e).catch(() => {})}>
        <label>
          Device name{' '}
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="North gate, phone 1" required maxLength={100} />
        </label>{' '}
        <button type="submit" disabled={create.isPending}>
          Add device
        </button>
        {createError && <p className="error">{createError.data.fieldErrors?.name?.[0] ?? createError.message}</p>}
      </form>
      {enrolled && <Enrolment {...enrolled} />}
      {listError && <p className="error">{listError.message}</p>}
      <table className="devices-table card">
        <thead>
          <tr>
            <th>Name</th>
            <th>Added</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {devices.data?.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>{new Date(d.createdAt).toLocaleString()}</td>
              <td>{d.revokedAt ? `revoked ${new Date(d.revokedAt).toLocaleString()}` : 'active'}</td>
              <td>
                {!d.revokedAt && (
                  <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ deviceId: d.id })}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <GateSettingsForm eventId={eventId} />
      <ConflictsList eventId={eventId} />
    </section>
  );
}
