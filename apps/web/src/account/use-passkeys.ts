import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/api-client';
import { addPasskey, fetchPasskeys, removePasskey, renamePasskey, type Passkey } from './passkeys-api';

export type PasskeysLoad = { status: 'loading' } | { status: 'failed'; error: ApiError } | { status: 'ready'; passkeys: Passkey[] };

export interface AccountPasskeys {
  load: PasskeysLoad;
  reload: () => void;
  add: (name: string) => Promise<Passkey>;
  rename: (id: string, name: string) => Promise<Passkey>;
  remove: (id: string) => Promise<void>;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('invalid-response', String(error));
}

/** The person's passkeys, kept in step with what they add, rename and remove. */
export function usePasskeys(): AccountPasskeys {
  const [load, setLoad] = useState<PasskeysLoad>({ status: 'loading' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchPasskeys(controller.signal).then(
      (passkeys) => {
        if (!controller.signal.aborted) setLoad({ status: 'ready', passkeys });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ status: 'failed', error: toApiError(error) });
      },
    );
    return () => {
      controller.abort();
    };
  }, [round]);

  const reload = useCallback(() => {
    setLoad({ status: 'loading' });
    setRound((previous) => previous + 1);
  }, []);

  const update = useCallback((change: (passkeys: Passkey[]) => Passkey[]) => {
    setLoad((previous) => (previous.status === 'ready' ? { status: 'ready', passkeys: change(previous.passkeys) } : previous));
  }, []);

  const add = useCallback(
    async (name: string) => {
      const passkey = await addPasskey(name);
      update((passkeys) => [...passkeys, passkey]);
      return passkey;
    },
    [update],
  );

  const rename = useCallback(
    async (id: string, name: string) => {
      const passkey = await renamePasskey(id, name);
      update((passkeys) => passkeys.map((candidate) => (candidate.id === id ? passkey : candidate)));
      return passkey;
    },
    [update],
  );

  const remove = useCallback(
    async (id: string) => {
      await removePasskey(id);
      update((passkeys) => passkeys.filter((candidate) => candidate.id !== id));
    },
    [update],
  );

  return { load, reload, add, rename, remove };
}
