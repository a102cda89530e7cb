import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  EVENT_NAMES,
  isChannel,
  type ApiHandlers,
  type Envelope,
} from '../../src-shared/api/contract';
import type { ApiEventSource } from '../api/session';
import { dispatch } from '../api/handlers';
import { IPC_EVENT, IPC_INVOKE } from '../../src-shared/api/ipc-names';

/**
 * The contract over Electron IPC. Only frames from the app's own page may call (the sender's
 * URL is checked), and only channels of the contract; the request is validated by `dispatch`.
 */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: ApiHandlers,
  isTrustedUrl: (url: string) => boolean,
  events: ApiEventSource,
  target: () => WebContents | null,
): void {
  ipcMain.handle(
    IPC_INVOKE,
    async (
      event: IpcMainInvokeEvent,
      channel: unknown,
      request: unknown,
    ): Promise<Envelope<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url))
        return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
      if (!isChannel(channel))
        return {
          ok: false,
          error: { code: 'unknown-channel', message: `unknown channel ${String(channel)}` },
        };
      return dispatch(handlers, channel, request);
    },
  );
  for (const name of EVENT_NAMES) {
    events.subscribe(name, (payload) => target()?.send(IPC_EVENT, name, payload));
  }
}
