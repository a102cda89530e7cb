// Exposes the API contract to the renderer through contextBridge (contextIsolation and sandbox
// on, no Node in the page): invoke(channel, request) and on(event, listener), nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Channel, EventName } from '../src-shared/api/contract';
import { IPC_EVENT, IPC_INVOKE } from '../src-shared/api/ipc-names';

contextBridge.exposeInMainWorld('lagrangeIpc', {
  invoke: (channel: Channel, request: unknown) => ipcRenderer.invoke(IPC_INVOKE, channel, request),
  on: (event: EventName, listener: (payload: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
});
